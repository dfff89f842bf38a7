// Statement export (pgjdbc, autoCommit off): an UPDATE, then a slow file build
// in Java while the transaction stays open, then the next UPDATE.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;

public class IitPgjdbc {
    private static final Logger LOG = Logger.getLogger("com.example.export.StatementExport");

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s [%3$s] %5$s%6$s%n");
        String url = "jdbc:postgresql://" + System.getenv("DB_HOST") + ":" + System.getenv("DB_PORT") + "/" + System.getenv("DB_NAME")
                + "?ApplicationName=statement-export";
        int exit = 0;
        try (Connection conn = DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"))) {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                int n = st.executeUpdate("UPDATE staging.orders SET loaded_at = now() WHERE region = 'amer' AND order_id < 300");
                LOG.info("marked " + n + " orders for the statement file");
                Thread.sleep(3500); // building the statement PDF
                LOG.info("statement file written, closing batch");
                st.executeUpdate("UPDATE etl_jobs SET status = 'exported' WHERE job_name = 'customers'");
                conn.commit();
            } catch (SQLException e) {
                LOG.log(Level.SEVERE, "statement export failed", e);
                exit = 1;
                try {
                    conn.rollback();
                } catch (SQLException e2) {
                    LOG.log(Level.WARNING, "rollback failed", e2);
                }
            }
        }
        System.exit(exit);
    }
}
