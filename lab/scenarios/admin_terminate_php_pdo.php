<?php
// Billing export (PHP 8, PDO pgsql, Monolog's default line layout). It keeps
// one PDO connection for the run; while the second invoice query is running
// a DBA terminates the session with pg_terminate_backend().
require_once '/usr/share/php/Monolog/autoload.php';

use Monolog\Handler\StreamHandler;
use Monolog\Logger;

$log = new Logger('billing');
$log->pushHandler(new StreamHandler('php://stdout', Logger::DEBUG));

$dsn = sprintf('pgsql:host=%s;port=%s;dbname=%s;application_name=billing_export',
    getenv('DB_HOST'), getenv('DB_PORT'), getenv('DB_NAME'));
$pdo = new PDO($dsn, getenv('DB_USER'), getenv('DB_PASSWORD'), [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
$log->info('connected', ['driver' => $pdo->getAttribute(PDO::ATTR_DRIVER_NAME)]);

$status = 0;
foreach (['emea', 'amer'] as $i => $region) {
    try {
        if ($i === 1) {
            // the DBA's pg_terminate_backend() lands while this query runs (lab fault, silent)
            exec(escapeshellarg(getenv('LAB_PY')) . ' ' . escapeshellarg(getenv('LAB_FAULT'))
                . ' --after 0.8 terminate billing_export > /dev/null 2>&1 &');
        }
        $st = $pdo->prepare('SELECT count(*), sum(amount) FROM staging.orders, pg_sleep(2) WHERE region = ?');
        $st->execute([$region]);
        [$n, $sum] = $st->fetch(PDO::FETCH_NUM);
        $log->info('invoices exported', ['region' => $region, 'count' => (int) $n, 'total' => $sum]);
    } catch (PDOException $e) {
        $log->error('invoice export failed', ['region' => $region, 'exception' => $e]);
        $status = 1;
        break;
    }
}
exit($status);
