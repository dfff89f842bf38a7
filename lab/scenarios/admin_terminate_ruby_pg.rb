# Nightly ledger reconciler (Ruby, pg gem). It keeps one connection for the
# whole run; between two accounts a DBA terminates its idle session with
# pg_terminate_backend(). Ruby's standard Logger writes local time without a
# zone, and this host runs in America/Chicago while the database logs UTC.
require "logger"
require "pg"

log = Logger.new($stdout, progname: "reconcile")
conn = PG.connect(host: ENV["DB_HOST"], port: ENV["DB_PORT"], dbname: ENV["DB_NAME"],
                  user: ENV["DB_USER"], password: ENV["DB_PASSWORD"],
                  application_name: "ledger_reconcile")
log.info("connected to #{ENV['DB_NAME']} as #{ENV['DB_USER']}")
status = 0
%w[emea amer].each_with_index do |region, i|
  begin
    total = conn.exec_params("SELECT sum(amount) FROM staging.orders WHERE region = $1", [region]).getvalue(0, 0)
    log.info("region #{region}: ledger total #{total}")
    if i.zero?
      # the DBA's pg_terminate_backend() while the job is idle (lab fault, silent)
      system(ENV["LAB_PY"], ENV["LAB_FAULT"], "terminate", "ledger_reconcile")
      sleep 1
    end
  rescue PG::Error => e
    log.error(e)
    status = 1
    break
  end
end
exit status
