// Queue watcher (Go, one pgx v4 connection, no pool) logging with zap's
// production JSON encoder (epoch-seconds float "ts", "caller"). It polls every
// 4.5 s while the server's idle_session_timeout is 3 s.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v4"
	"go.uber.org/zap"
)

func main() {
	logger, _ := zap.NewProduction()
	defer logger.Sync()
	ctx := context.Background()
	dsn := fmt.Sprintf("postgres://%s:%s@%s:%s/%s?sslmode=disable&application_name=queue-watcher",
		os.Getenv("DB_USER"), os.Getenv("DB_PASSWORD"), os.Getenv("DB_HOST"), os.Getenv("DB_PORT"), os.Getenv("DB_NAME"))
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		logger.Fatal("connect failed", zap.Error(err))
	}
	defer conn.Close(ctx)
	for poll := 1; poll <= 3; poll++ {
		var pending int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM etl_jobs WHERE status = 'idle'").Scan(&pending); err != nil {
			logger.Error("poll failed", zap.Int("poll", poll), zap.Error(err))
			os.Exit(1)
		}
		logger.Info("queue polled", zap.Int("poll", poll), zap.Int("pending", pending))
		time.Sleep(4500 * time.Millisecond)
	}
}
