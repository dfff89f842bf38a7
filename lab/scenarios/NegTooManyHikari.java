// Report service (HikariCP + pgjdbc, logback with its basic configuration)
// whose pool asks for more connections than the server allows: the server
// has max_connections=5 with 3 reserved, so the third connection is refused
// with 53300. Not a vanished connection: it never existed.
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class NegTooManyHikari {
    private static final Logger LOG = LoggerFactory.getLogger("com.example.reports.ReportService");

    public static void main(String[] args) throws Exception {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://" + System.getenv("DB_HOST") + ":" + System.getenv("DB_PORT") + "/" + System.getenv("DB_NAME")
                + "?ApplicationName=report-service");
        cfg.setUsername(System.getenv("DB_USER"));
        cfg.setPassword(System.getenv("DB_PASSWORD"));
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(3000);
        cfg.setPoolName("reports");
        int exit = 0;
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 1; i <= 4; i++) {
                    Connection c = ds.getConnection();
                    held.add(c);
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM staging.orders")) {
                        rs.next();
                        LOG.info("report worker {} connected ({} orders)", i, rs.getLong(1));
                    }
                }
            } catch (SQLException e) {
                LOG.error("report worker could not get a connection", e);
                exit = 1;
            } finally {
                for (Connection c : held) c.close();
            }
        }
        System.exit(exit);
    }
}
