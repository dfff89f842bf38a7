#!/usr/bin/perl
# Warehouse feed (Perl, DBI + DBD::Pg, Log::Log4perl) reaching the database
# through a NAT gateway that forgets idle flows and drops their packets.
# libpq's tcp_user_timeout (passed through the DBD::Pg DSN) bounds how long
# the next query hangs.
use strict;
use warnings;
use DBI;
use Log::Log4perl;
use Time::HiRes qw(time sleep);

Log::Log4perl->init(\ <<'CONF');
log4perl.rootLogger = INFO, Screen
log4perl.appender.Screen = Log::Log4perl::Appender::Screen
log4perl.appender.Screen.stderr = 0
log4perl.appender.Screen.layout = PatternLayout
log4perl.appender.Screen.layout.ConversionPattern = %d{yyyy-MM-dd HH:mm:ss,SSS} [%P] %-5p %c - %m%n
CONF
my $log = Log::Log4perl->get_logger('Feed::Warehouse');

my $dsn = sprintf('dbi:Pg:dbname=%s;host=%s;port=%s;application_name=warehouse_feed;'
    . 'keepalives=1;keepalives_idle=30;keepalives_interval=5;keepalives_count=3;tcp_user_timeout=4000',
    @ENV{qw(DB_NAME DB_HOST DB_PORT)});
$log->info("connecting to $ENV{DB_HOST}:$ENV{DB_PORT} (tcp_user_timeout=4000ms)");
my $dbh = DBI->connect($dsn, $ENV{DB_USER}, $ENV{DB_PASSWORD}, { RaiseError => 1, PrintError => 0, AutoCommit => 1 });
my $status = 0;
for my $chunk (1, 2) {
    my $t0 = time;
    my $rows = eval { $dbh->selectall_arrayref('SELECT order_id, amount FROM staging.orders WHERE order_id % 2 = ? LIMIT 500', undef, $chunk % 2) };
    if (!$rows) {
        $log->error(sprintf('chunk %d: query failed after %.1fs: %s', $chunk, time - $t0, $@));
        $status = 1;
        last;
    }
    $log->info(sprintf('chunk %d: %d rows read, sending to the feed', $chunk, scalar @$rows));
    sleep 5;    # the feed upload; the connection sits idle meanwhile
    $log->info("chunk $chunk: feed upload finished");
}
$dbh->disconnect if $dbh->{Active};
exit $status;
