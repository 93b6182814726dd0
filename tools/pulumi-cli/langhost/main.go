// Command pulumi-language-nodejs is this project's minimal Node.js language host for the Pulumi engine.
//
// Why it exists: the official host lives in the Go module
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, which has no tags; the Go module proxy
// reachable from the project's machines refuses every pseudo-version of it (403 "This module version is not
// available"), so it cannot be built here (see docs/pulumi-engine-notes.md). The engine itself (`pulumi`) is
// built from the tagged pkg/v3 and sdk/v3 modules.
//
// What it does: it is only a process launcher speaking the engine's LanguageRuntime gRPC protocol. The
// program, the dynamic provider and the policy pack all run in the real @pulumi/pulumi entry points
// (cmd/run, cmd/run-policy-pack, cmd/run-plugin) resolved from the program's own node_modules, exactly the
// files the official host starts. scripts/ensure-pulumi prefers an official `pulumi-language-nodejs` found
// on PATH; this one is built only when none is there.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
)

// version is what GetPluginInfo reports; the release build overrides it with -ldflags -X main.version=...
var version = "3.248.0"

func main() {
	// The engine may pass --logtostderr, -v=N and --tracing before the engine address. The first two are
	// registered by the SDK's logging package (imported through rpcutil); the rest are declared here so that
	// flag parsing never fails on them.
	declareIgnored := func(name, usage string) {
		if flag.Lookup(name) == nil {
			flag.String(name, "", usage)
		}
	}
	declareIgnored("tracing", "tracing endpoint (ignored)")
	declareIgnored("root", "project root (ignored: the engine sends it in each request)")
	showVersion := flag.Bool("version", false, "print the version and exit (used by scripts/ensure-pulumi)")
	flag.Parse()

	if *showVersion {
		fmt.Println(version)
		return
	}

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not find node on PATH: %v\n", err)
		os.Exit(1)
	}

	engineAddress := ""
	if flag.NArg() > 0 {
		engineAddress = flag.Arg(0)
	}

	host := &nodeHost{nodeBin: nodeBin, engineAddress: engineAddress}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}

	// The engine reads the port from the first line of stdout; nothing may be printed before it.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: gRPC server stopped: %v\n", err)
		os.Exit(1)
	}
}
