// Settlement batch (pgjdbc). Between its two steps a DBA terminates the idle
// session with pg_terminate_backend(); the job's error handler then tries to
// record the failure on the same, now closed, connection.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

public class AdminTerminatePgjdbc {
    private static final Logger LOG = Logger.getLogger("com.example.settlement.SettlementJob");

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("DB_HOST") + ":" + System.getenv("DB_PORT") + "/" + System.getenv("DB_NAME");
        Properties props = new Properties();
        props.setProperty("user", System.getenv("DB_USER"));
        props.setProperty("password", System.getenv("DB_PASSWORD"));
        props.setProperty("ApplicationName", "settlement-job");
        int exit = 0;
        try (Connection conn = DriverManager.getConnection(url, props)) {
            try (Statement st = conn.createStatement()) {
                st.executeUpdate("UPDATE etl_jobs SET status = 'settling' WHERE job_name = 'orders_daily'");
                LOG.info("step 1 done: job marked settling");
                // the DBA's pg_terminate_backend() while the job is idle (lab fault, silent)
                new ProcessBuilder(System.getenv("LAB_PY"), System.getenv("LAB_FAULT"), "terminate", "settlement-job")
                        .inheritIO().start().waitFor();
                Thread.sleep(1000);
                st.executeUpdate("UPDATE staging.orders SET loaded_at = now() WHERE order_id < 100");
                LOG.info("step 2 done");
            } catch (SQLException e) {
                LOG.log(Level.SEVERE, "settlement step failed (SQLState " + e.getSQLState() + ")", e);
                exit = 1;
                try (Statement st = conn.createStatement()) {
                    st.executeUpdate("UPDATE etl_jobs SET status = 'failed' WHERE job_name = 'orders_daily'");
                } catch (SQLException e2) {
                    LOG.log(Level.SEVERE, "could not record failure status (SQLState " + e2.getSQLState() + ")", e2);
                }
            }
        }
        System.exit(exit);
    }
}
