package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitAfterUserActionableMessage is the exit code @pulumi/pulumi's run entry point uses when it has already
// told the user what went wrong; the engine is then asked to bail without adding a generic message.
const exitAfterUserActionableMessage = 32

// Run executes the program with @pulumi/pulumi/cmd/run, which connects back to the engine's resource monitor.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	// As the official host does, the program runs from its own directory and names its entry point relative
	// to it ("." lets @pulumi/pulumi/cmd/run read package.json's main).
	dir := programDirectory(req.GetInfo(), req.GetPwd())
	runPath, err := h.resolveModule(dir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	opts := parseRuntimeOptions(req.GetInfo())
	env, err := runEnv(req, opts)
	if err != nil {
		return nil, err
	}

	cmd := exec.CommandContext(ctx, h.nodeBin, runArgs(runPath, h.engineAddress, dir, req, opts)...)
	// Our own stdout/stderr are streamed by the engine as the program's diagnostics. Wrapping them makes exec
	// copy through a pipe: node switches an inherited descriptor to non-blocking mode, and Go's own writes to
	// it would then fail with EAGAIN (golang/go#58408).
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	cmd.Env = env
	cmd.Dir = dir

	runErr := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case runErr == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(runErr, &exitErr) && exitErr.ExitCode() == exitAfterUserActionableMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(runErr, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run node): %v", runErr),
		}, nil
	}
}

// runArgs builds the command line that @pulumi/pulumi/cmd/run parses (see its usage text).
func runArgs(runPath, engineAddress, dir string, req *pulumirpc.RunRequest, opts runtimeOptions) []string {
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", dir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		add("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// runEnv is the CLI's environment plus the stack config the SDK reads from PULUMI_CONFIG and the names of the
// secret keys from PULUMI_CONFIG_SECRET_KEYS (both JSON).
func runEnv(req *pulumirpc.RunRequest, opts runtimeOptions) ([]string, error) {
	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("serializing stack config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing secret config keys: %w", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env, nil
}
