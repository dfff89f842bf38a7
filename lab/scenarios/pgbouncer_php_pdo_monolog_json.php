<?php
// Price sync (PHP 8, PDO pgsql with server-side prepares) through PgBouncer in
// transaction mode, logging Monolog JSON lines. With emulated prepares off,
// PDO names its statements pdo_stmt_NNNNNNNN on the server connection it
// happened to get; a stock-lock transaction on a second connection (plain
// exec, no prepare) then holds that server connection, and the next execute
// runs on another one.
require_once '/usr/share/php/Monolog/autoload.php';

use Monolog\Formatter\JsonFormatter;
use Monolog\Handler\StreamHandler;
use Monolog\Logger;

$handler = new StreamHandler('php://stdout', Logger::DEBUG);
$handler->setFormatter(new JsonFormatter());
$log = new Logger('price_sync');
$log->pushHandler($handler);

$dsn = sprintf('pgsql:host=%s;port=%s;dbname=%s;application_name=price_sync',
    getenv('DB_HOST'), getenv('DB_PORT'), getenv('DB_NAME'));
$opts = [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_EMULATE_PREPARES => false];
$pdo = new PDO($dsn, getenv('DB_USER'), getenv('DB_PASSWORD'), $opts);
$lock = new PDO($dsn, getenv('DB_USER'), getenv('DB_PASSWORD'), $opts);
$log->info('connected through pgbouncer', ['emulate_prepares' => false]);

$status = 0;
try {
    $st = $pdo->prepare('UPDATE staging.orders SET amount = amount + 0 WHERE order_id = ?');
    foreach ([21, 22, 23] as $i => $id) {
        if ($i === 1) {
            // the stock-lock transaction opens beside the price updates
            $lock->beginTransaction();
            $lock->exec("SELECT 1 FROM etl_jobs WHERE job_name = 'customers' FOR UPDATE");
            $log->info('stock lock taken');
        }
        $st->execute([$id]);
        $log->info('price updated', ['order_id' => $id]);
    }
    $lock->commit();
} catch (PDOException $e) {
    $log->error('price sync failed', ['exception' => $e]);
    $status = 1;
}
exit($status);
