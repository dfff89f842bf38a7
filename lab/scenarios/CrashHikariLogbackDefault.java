// Metrics rollup (HikariCP + pgjdbc) with logback on the classpath but no
// logback.xml: logback then uses its basic configuration, a console appender
// at DEBUG with a time-of-day layout, so HikariCP's own debug lines appear.
// Three worker threads are running queries when an unrelated backend dies and
// the postmaster resets every session.
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class CrashHikariLogbackDefault {
    private static final Logger LOG = LoggerFactory.getLogger("com.example.metrics.Rollup");

    public static void main(String[] args) throws Exception {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://" + System.getenv("DB_HOST") + ":" + System.getenv("DB_PORT") + "/" + System.getenv("DB_NAME")
                + "?ApplicationName=metrics-rollup");
        cfg.setUsername(System.getenv("DB_USER"));
        cfg.setPassword(System.getenv("DB_PASSWORD"));
        cfg.setMaximumPoolSize(3);
        cfg.setMinimumIdle(3);
        cfg.setPoolName("rollup-pool");
        AtomicInteger failed = new AtomicInteger();
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            // the unrelated backend is killed 1.5 s from now (lab fault, silent)
            Process fault = new ProcessBuilder(System.getenv("LAB_PY"), System.getenv("LAB_FAULT"), "--after", "1.5", "crash")
                    .inheritIO().start();
            List<Thread> workers = new ArrayList<>();
            for (int shard = 0; shard < 3; shard++) {
                final int s = shard;
                Thread t = new Thread(() -> {
                    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT count(*) FROM staging.orders, pg_sleep(4) WHERE order_id % 3 = " + s)) {
                        rs.next();
                        LOG.info("shard {} rolled up: {} rows", s, rs.getLong(1));
                    } catch (SQLException e) {
                        LOG.error("shard {} rollup failed", s, e);
                        failed.incrementAndGet();
                    }
                }, "rollup-" + shard);
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) t.join();
            fault.waitFor();
        }
        System.exit(failed.get() > 0 ? 1 : 0);
    }
}
