package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// RunPlugin starts a Node.js plugin: a policy pack (kind "analyzer") through @pulumi/pulumi/cmd/run-policy-pack,
// anything else through @pulumi/pulumi/cmd/run-plugin. Output is streamed back as it comes (the engine reads
// the plugin's gRPC port from the first stdout line); a non-zero exit is returned as an error.
func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	dir := programDirectory(req.GetInfo(), req.GetPwd())
	analyzer := req.GetKind() == string(apitype.AnalyzerPlugin)
	entry := "@pulumi/pulumi/cmd/run-plugin"
	if analyzer {
		entry = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runPath, err := h.resolveModule(dir, entry)
	if err != nil {
		return err
	}
	opts := parseRuntimeOptions(req.GetInfo())
	env := append([]string{}, req.GetEnv()...)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	args := pluginArgs(runPath, dir, analyzer, opts, req.GetArgs())

	// @pulumi/policy reads the stack, project, dry-run flag and stack config from the environment when the pack
	// starts, but the engine only sends them later, in ConfigureStack. The SDK's PolicyProxy answers the engine
	// first, hands us that configuration to put in the pack's environment, then forwards every call to the pack.
	var proxy *sdk.PolicyProxy
	if analyzer {
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
		}
		if env, err = appendStackEnv(env, config); err != nil {
			return err
		}
	}

	cmd := exec.CommandContext(ctx, h.nodeBin, args...)
	// Policy packs have always run in their own directory (they read ./package.json); other plugins in the
	// engine's working directory.
	cmd.Dir = req.GetPwd()
	if analyzer {
		cmd.Dir = dir
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node for plugin %s: %w", dir, err)
	}
	if proxy != nil {
		err = proxy.Attach(ctx, cmd)
	} else {
		err = cmd.Wait()
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
	} else if err != nil {
		return fmt.Errorf("plugin %s failed: %w", dir, err)
	}
	return closer.Close()
}

// pluginArgs: a policy pack entry point takes "<engine-address> <program>", so the program directory goes
// after the engine's arguments; run-plugin takes the program directory first.
func pluginArgs(runPath, dir string, analyzer bool, opts runtimeOptions, engineArgs []string) []string {
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	if analyzer {
		args = append(args, engineArgs...)
		return append(args, dir)
	}
	args = append(args, dir)
	return append(args, engineArgs...)
}

// appendStackEnv adds what the engine sent in ConfigureStack in the variables the Node.js SDK reads.
func appendStackEnv(env []string, config *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if config == nil {
		return env, nil
	}
	add := func(key, value string) {
		if value != "" {
			env = append(env, key+"="+value)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", config.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", config.GetProject())
	add("PULUMI_NODEJS_STACK", config.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
	if config.GetConfig() != nil {
		data, err := json.Marshal(config.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("serializing the stack configuration for the policy pack: %w", err)
		}
		add("PULUMI_CONFIG", string(data))
	}
	// Like the official host, no PULUMI_CONFIG_SECRET_KEYS: packs see secret values as plain strings.
	return env, nil
}
