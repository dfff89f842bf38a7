# Settlement job (Ruby, ActiveRecord 6.1 on the pg gem) with ActiveRecord's
# logger on Ruby's standard Logger (its default layout, SQL lines included).
# Three threads run settlement queries from the connection pool; while they
# run, an operator restarts the database (pg_ctl restart -m fast).
require "logger"
require "active_record"

log = Logger.new($stdout, progname: "settle")
ActiveRecord::Base.logger = log
ActiveRecord::Base.establish_connection(
  adapter: "postgresql", host: ENV["DB_HOST"], port: ENV["DB_PORT"], database: ENV["DB_NAME"],
  username: ENV["DB_USER"], password: ENV["DB_PASSWORD"], pool: 3,
  variables: { application_name: "settlement" }
)

class Order < ActiveRecord::Base
  self.table_name = "staging.orders"
  self.primary_key = "order_id"
end

log.info("settlement run starting, pool size #{ActiveRecord::Base.connection_pool.size}")
# the operator's restart lands while the queries run (lab fault, silent)
fault = Process.spawn(ENV["LAB_PY"], ENV["LAB_FAULT"], "--after", "1", "restart")
failed = 0
mutex = Mutex.new
threads = (0..2).map do |shard|
  Thread.new do
    ActiveRecord::Base.connection_pool.with_connection do |conn|
      n = conn.select_value("SELECT count(*) FROM staging.orders, pg_sleep(3) WHERE order_id % 3 = #{shard}")
      log.info("shard #{shard} settled: #{n} orders")
    end
  rescue ActiveRecord::ActiveRecordError => e
    log.error("shard #{shard} settlement failed: #{e.class}: #{e.message}")
    mutex.synchronize { failed += 1 }
  end
end
threads.each(&:join)
Process.wait(fault)
exit(failed.zero? ? 0 : 1)
