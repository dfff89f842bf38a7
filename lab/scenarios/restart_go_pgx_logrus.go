// Event projector (Go, pgx v4 pgxpool, logrus text layout). Three goroutines
// write projections through one pool; while their statements run, an operator
// restarts the database (pg_ctl restart -m fast).
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/jackc/pgx/v4/pgxpool"
	log "github.com/sirupsen/logrus"
)

func main() {
	log.SetOutput(os.Stdout)
	log.SetFormatter(&log.TextFormatter{FullTimestamp: true, TimestampFormat: "2006-01-02T15:04:05.000Z07:00", DisableColors: true})
	ctx := context.Background()
	dsn := fmt.Sprintf("postgres://%s:%s@%s:%s/%s?sslmode=disable&application_name=projector&pool_max_conns=3&pool_min_conns=3",
		os.Getenv("DB_USER"), os.Getenv("DB_PASSWORD"), os.Getenv("DB_HOST"), os.Getenv("DB_PORT"), os.Getenv("DB_NAME"))
	pool, err := pgxpool.Connect(ctx, dsn)
	if err != nil {
		log.WithError(err).Fatal("connect failed")
	}
	log.WithField("max_conns", pool.Config().MaxConns).Info("pool ready")
	status := 0
	for round := 1; round <= 2; round++ {
		var fault *exec.Cmd
		if round == 2 {
			// the operator's restart lands while round 2's statements run (lab fault, silent)
			fault = exec.Command(os.Getenv("LAB_PY"), os.Getenv("LAB_FAULT"), "--after", "0.7", "restart")
			_ = fault.Start()
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for shard := 0; shard < 3; shard++ {
			wg.Add(1)
			go func(shard int) {
				defer wg.Done()
				_, err := pool.Exec(ctx, "SELECT pg_sleep(1.5), count(*) FROM staging.orders WHERE order_id % 3 = $1", shard)
				entry := log.WithFields(log.Fields{"round": round, "shard": shard})
				if err != nil {
					entry.WithError(err).Error("projection failed")
					mu.Lock()
					status = 1
					mu.Unlock()
					return
				}
				entry.Info("projection written")
			}(shard)
		}
		wg.Wait()
		if fault != nil {
			_ = fault.Wait()
		}
		time.Sleep(200 * time.Millisecond)
	}
	pool.Close()
	os.Exit(status)
}
