package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// nodeHost serves the LanguageRuntime methods the engine needs for preview, up, destroy and policy packs.
// Everything else (codegen, templates, pack, link, install) stays Unimplemented: the engine treats
// Unimplemented as "not supported by this host" and falls back or reports it, which is the honest answer.
type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	nodeBin       string
	engineAddress string
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *nodeHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir := programDirectory(req.GetInfo(), req.GetPwd())
	plugins, err := findResourcePlugins(dir)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *nodeHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	dir := programDirectory(req.GetInfo(), "")
	plugins, err := findResourcePlugins(dir)
	if err != nil {
		return nil, err
	}
	packages := make([]*pulumirpc.PackageDependency, 0, len(plugins))
	for _, p := range plugins {
		packages = append(packages, &pulumirpc.PackageDependency{
			Name: p.GetName(), Kind: p.GetKind(), Version: p.GetVersion(), Server: p.GetServer(),
		})
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// programDirectory is where the program (or plugin) lives; its node_modules is where @pulumi/pulumi is found.
func programDirectory(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if info != nil && info.GetRootDirectory() != "" {
		return info.GetRootDirectory()
	}
	return fallback
}

// resolveModule asks node where `module` resolves from `dir`, the same lookup the program itself will do,
// so a program always runs the @pulumi/pulumi entry point of the SDK it depends on.
func (h *nodeHost) resolveModule(dir, module string) (string, error) {
	script := "process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] }))"
	cmd := exec.Command(h.nodeBin, "-e", script, module, dir)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s from %s (is @pulumi/pulumi installed there? run npm install): %w",
			module, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// runtimeOptions are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml that change how node starts.
type runtimeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseRuntimeOptions(info *pulumirpc.ProgramInfo) runtimeOptions {
	// TypeScript is on unless the project says `typescript: false`, as with the official host.
	opts := runtimeOptions{typescript: true}
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	fields := info.GetOptions().GetFields()
	if v, ok := fields["typescript"]; ok {
		opts.typescript = v.GetBoolValue()
	}
	if v, ok := fields["tsconfig"]; ok {
		opts.tsconfig = v.GetStringValue()
	}
	if v, ok := fields["nodeargs"]; ok {
		opts.nodeargs = strings.Fields(v.GetStringValue())
	}
	return opts
}
