// Command mongo-standin runs FerretDB v1.x (a MongoDB wire-protocol server on
// SQLite) for tests and offline development, where no real mongod can be
// downloaded. FerretDB's own command cannot be built with `go install` (its
// version file is generated), so this starts the embeddable package instead.
//
// It prints one line, `ready mongodb://host:port/`, once it accepts
// connections, and stops cleanly on SIGINT or SIGTERM. With -stdin-lifeline it
// also stops when its standard input closes, so a parent that dies without
// cleaning up (a killed test runner) never leaves a server behind.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free one)")
	dir := flag.String("dir", "", "directory for the SQLite files (required)")
	postgresURL := flag.String("postgresql-url", "", "use FerretDB's PostgreSQL backend at this URL instead of SQLite files")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	stdinLifeline := flag.Bool("stdin-lifeline", false, "stop when standard input reaches EOF (the parent went away)")
	flag.Parse()

	if *dir == "" {
		fmt.Fprintln(os.Stderr, "mongo-standin: -dir is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "mongo-standin: cannot create %s: %v\n", *dir, err)
		os.Exit(1)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "mongo-standin: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config := &ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + strings.TrimSuffix(*dir, "/") + "/",
	}
	if *postgresURL != "" {
		config.Handler = "postgresql"
		config.PostgreSQLURL = *postgresURL
	}
	f, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mongo-standin: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *stdinLifeline {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	if *postgresURL == "" {
		go indexIDLookups(ctx, *dir, logger)
	}

	// The listener address is known only once Run has bound it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		uri := tryURI(f)
		if uri != "" {
			fmt.Printf("ready %s\n", uri)
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "mongo-standin: listener did not come up within 10s")
			os.Exit(1)
		}
		select {
		case err := <-done:
			fmt.Fprintf(os.Stderr, "mongo-standin: stopped before ready: %v\n", err)
			os.Exit(1)
		case <-time.After(20 * time.Millisecond):
		}
	}

	if err := <-done; err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "mongo-standin: %v\n", err)
		os.Exit(1)
	}
}

// tryURI returns the server's URI, or "" while the listener is not bound yet
// (MongoDBURI dereferences the bound address and panics before that).
func tryURI(f *ferretdb.FerretDB) (uri string) {
	defer func() {
		if recover() != nil {
			uri = ""
		}
	}()
	return f.MongoDBURI()
}

// FerretDB v1.24's SQLite backend looks a document up by `_id` with
// `WHERE _ferretdb_sjson->'$._id' = ?`, but creates the unique `_id` index on
// `_ferretdb_sjson->"_id"`. SQLite matches an expression index only when the
// query spells the same expression, so every `_id` lookup, update and delete
// scanned the whole table. This adds an index on the expression the queries
// use to each collection's table shortly after FerretDB creates it. It changes
// no result: uniqueness stays with FerretDB's own index, and FerretDB does not
// list this one (it lists indexes from its own metadata).
func indexIDLookups(ctx context.Context, dir string, logger *slog.Logger) {
	type watched struct {
		db      *sql.DB
		inode   uint64
		version int64
	}
	files := map[string]*watched{}
	defer func() {
		for _, w := range files {
			_ = w.db.Close()
		}
	}()
	ticker := time.NewTicker(150 * time.Millisecond)
	defer ticker.Stop()
	for {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		seen := map[string]bool{}
		for _, path := range paths {
			seen[path] = true
			info, err := os.Stat(path)
			if err != nil {
				continue
			}
			inode := info.Sys().(*syscall.Stat_t).Ino
			w := files[path]
			// A dropped and re-created database is a new file under the same name.
			if w != nil && w.inode != inode {
				_ = w.db.Close()
				w = nil
			}
			if w == nil {
				db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
				if err != nil {
					continue
				}
				db.SetMaxOpenConns(1)
				w = &watched{db: db, inode: inode, version: -1}
				files[path] = w
			}
			var version int64
			if err := w.db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil || version == w.version {
				continue
			}
			if err := addIDIndexes(ctx, w.db); err != nil {
				logger.Debug("mongo-standin: cannot add _id lookup indexes", "file", path, "error", err)
				continue
			}
			// Re-read: our own CREATE INDEX bumped it.
			_ = w.db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&w.version)
		}
		for path, w := range files {
			if !seen[path] {
				_ = w.db.Close()
				delete(files, path)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func addIDIndexes(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT t.name FROM sqlite_master t
		WHERE t.type = 'table' AND t.name NOT LIKE '\_ferretdb\_%' ESCAPE '\'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.tbl_name = t.name AND i.name = t.name || '__ferretdb_id_path')`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__ferretdb_id_path", table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
