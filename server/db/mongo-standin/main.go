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
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free one)")
	dir := flag.String("dir", "", "directory for the SQLite files (required)")
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

	sqliteURL := "file:" + strings.TrimSuffix(*dir, "/") + "/"
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
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
