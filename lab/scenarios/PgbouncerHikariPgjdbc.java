// Payments ledger writer (HikariCP + pgjdbc, logback) behind PgBouncer in
// transaction mode. pgjdbc switches a PreparedStatement to a named server-side
// statement (S_1) on its fifth execution (prepareThreshold=5, the default),
// and every pgjdbc connection counts its statements from S_1. A reconciliation
// task's transaction beside the first write makes PgBouncer open a second
// server connection; with server_round_robin = 1 consecutive transactions take
// turns on the server connections, so S_1 meets a server connection where the
// other pgjdbc connection's S_1 already exists (or one without it).
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class PgbouncerHikariPgjdbc {
    static {
        // logback configured in code (a logback.xml with this pattern is the usual way)
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n");
        enc.start();
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setEncoder(enc);
        out.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(out);
    }

    private static final Logger LOG = LoggerFactory.getLogger("com.example.payments.LedgerWriter");

    public static void main(String[] args) throws Exception {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://" + System.getenv("DB_HOST") + ":" + System.getenv("DB_PORT") + "/" + System.getenv("DB_NAME")
                + "?ApplicationName=ledger-writer");
        cfg.setUsername(System.getenv("DB_USER"));
        cfg.setPassword(System.getenv("DB_PASSWORD"));
        cfg.setMaximumPoolSize(2);
        cfg.setMinimumIdle(2);
        int exit = 0;
        try (HikariDataSource ds = new HikariDataSource(cfg);
             Connection writer = ds.getConnection();
             Connection recon = ds.getConnection();
             PreparedStatement ps = writer.prepareStatement(
                     "UPDATE staging.orders SET amount = amount + 0 WHERE order_id = ?")) {
            for (int id = 1; id <= 10; id++) {
                if (id == 1) {
                    // a reconciliation task's transaction runs beside the first write
                    recon.setAutoCommit(false);
                    try (Statement st = recon.createStatement()) {
                        st.execute("SELECT 1 FROM etl_jobs WHERE job_name = 'customers' FOR UPDATE");
                    }
                    LOG.info("reconciliation transaction open");
                }
                if (id == 2) {
                    recon.commit();
                    LOG.info("reconciliation committed");
                }
                try {
                    ps.setInt(1, id);
                    ps.executeUpdate();
                    LOG.info("ledger entry {} written", id);
                } catch (SQLException e) {
                    LOG.error("ledger entry {} failed (SQLState {})", id, e.getSQLState(), e);
                    exit = 1;
                    break;
                }
            }
        }
        System.exit(exit);
    }
}
