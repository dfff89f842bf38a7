// Invoice archiver (plain pgjdbc, autoCommit off) logging through log4j2 with no
// configuration file: log4j2 then falls back to its default console layout,
// which prints only ERROR and above, with a time of day and no date.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

public class IitPgjdbcLog4j2 {
    private static final Logger LOG = LogManager.getLogger("com.example.archive.InvoiceArchiver");

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("DB_HOST") + ":" + System.getenv("DB_PORT") + "/" + System.getenv("DB_NAME")
                + "?ApplicationName=invoice-archiver";
        int exit = 0;
        try (Connection conn = DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"))) {
            conn.setAutoCommit(false);
            try (PreparedStatement ps = conn.prepareStatement("UPDATE staging.orders SET loaded_at = now() WHERE order_id = ?")) {
                for (int id = 1; id <= 3; id++) {
                    ps.setInt(1, id);
                    ps.executeUpdate();
                    LOG.info("invoice {} archived", id); // below the default ERROR threshold
                }
                Thread.sleep(3500); // compressing the archive bundle
                try (Statement st = conn.createStatement()) {
                    st.executeUpdate("UPDATE etl_jobs SET status = 'archived' WHERE job_name = 'orders_daily'");
                }
                conn.commit();
            } catch (SQLException e) {
                LOG.error("archive batch failed, SQLState {}", e.getSQLState(), e);
                exit = 1;
                try {
                    conn.rollback();
                } catch (SQLException e2) {
                    LOG.error("rollback failed", e2);
                }
            }
        }
        System.exit(exit);
    }
}
