// Stock reservation worker (Go, pgx v4 pgxpool, zerolog JSON lines with epoch
// milliseconds). It holds a transaction open while it computes a reservation
// plan in memory for 3.5 s; the server's idle_in_transaction_session_timeout
// is 2 s.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v4/pgxpool"
	"github.com/rs/zerolog"
)

func main() {
	zerolog.TimeFieldFormat = zerolog.TimeFormatUnixMs
	log := zerolog.New(os.Stdout).With().Timestamp().Str("service", "reservations").Logger()
	ctx := context.Background()
	dsn := fmt.Sprintf("postgres://%s:%s@%s:%s/%s?sslmode=disable&application_name=reservations&pool_max_conns=2",
		os.Getenv("DB_USER"), os.Getenv("DB_PASSWORD"), os.Getenv("DB_HOST"), os.Getenv("DB_PORT"), os.Getenv("DB_NAME"))
	pool, err := pgxpool.Connect(ctx, dsn)
	if err != nil {
		log.Fatal().Err(err).Msg("connect failed")
	}
	defer pool.Close()
	log.Info().Int32("max_conns", pool.Config().MaxConns).Msg("pool ready")
	status := 0
	for batch := 1; batch <= 2; batch++ {
		if err := reserve(ctx, pool, batch, log); err != nil {
			log.Error().Err(err).Int("batch", batch).Msg("reservation batch failed")
			status = 1
			break
		}
		log.Info().Int("batch", batch).Msg("reservation batch committed")
	}
	pool.Close()
	os.Exit(status)
}

func reserve(ctx context.Context, pool *pgxpool.Pool, batch int, log zerolog.Logger) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var n int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM staging.orders WHERE order_id % 10 = $1", batch).Scan(&n); err != nil {
		return err
	}
	log.Debug().Int("batch", batch).Int("rows", n).Msg("rows locked")
	time.Sleep(3500 * time.Millisecond) // planning in memory while the transaction stays open
	if _, err := tx.Exec(ctx, "UPDATE etl_jobs SET status = 'reserved' WHERE job_name = 'orders_daily'"); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
