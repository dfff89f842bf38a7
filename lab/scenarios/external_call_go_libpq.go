// Shipping-label service (Go, database/sql + lib/pq). Inside one transaction
// it reserves a label number, then asks the carrier's HTTP API for the label
// (3.5 s) before writing it back; the server's
// idle_in_transaction_session_timeout is 2 s. The standard log package prints
// local time without a zone; this host runs in Asia/Kolkata (+05:30).
package main

import (
	"database/sql"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/lib/pq"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	log.SetPrefix("labels ")
	dsn := fmt.Sprintf("host=%s port=%s dbname=%s user=%s password=%s sslmode=disable application_name=shipping_labels",
		os.Getenv("DB_HOST"), os.Getenv("DB_PORT"), os.Getenv("DB_NAME"), os.Getenv("DB_USER"), os.Getenv("DB_PASSWORD"))
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		log.Fatalf("open: %v", err)
	}
	db.SetMaxOpenConns(2)
	db.SetConnMaxLifetime(time.Hour)
	status := 0
	for order := 101; order <= 102; order++ {
		if err := label(db, order); err != nil {
			log.Printf("ERROR order %d: label not stored: %v", order, err)
			status = 1
			break
		}
		log.Printf("order %d: label stored", order)
	}
	db.Close()
	os.Exit(status)
}

func label(db *sql.DB, order int) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("UPDATE staging.orders SET loaded_at = now() WHERE order_id = $1", order); err != nil {
		return err
	}
	url := os.Getenv("ENRICH_URL") + fmt.Sprintf("?order=%d", order)
	log.Printf("order %d: requesting label from carrier API GET %s", order, url)
	start := time.Now()
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	log.Printf("order %d: carrier API answered %d (%d bytes) in %s", order, resp.StatusCode, len(body), time.Since(start).Round(time.Millisecond))
	if _, err := tx.Exec("UPDATE etl_jobs SET status = 'labelled', last_run = now() WHERE job_name = 'orders_daily'"); err != nil {
		return err
	}
	return tx.Commit()
}
