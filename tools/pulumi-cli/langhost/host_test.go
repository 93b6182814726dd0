package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestRunArgs(t *testing.T) {
	cases := []struct {
		name string
		dir  string
		req  *pulumirpc.RunRequest
		opts runtimeOptions
		want []string
	}{
		{
			name: "preview of a program in the project root",
			dir:  "/w",
			req: &pulumirpc.RunRequest{
				MonitorAddress: "127.0.0.1:1", Project: "p", Stack: "s", Organization: "organization",
				DryRun: true, Parallel: 8, Info: &pulumirpc.ProgramInfo{RootDirectory: "/w", EntryPoint: "."},
			},
			want: []string{"/run", "--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:2", "--organization",
				"organization", "--project", "p", "--root-directory", "/w", "--stack", "s", "--pwd", "/w",
				"--dry-run", "--parallel", "8", "."},
		},
		{
			name: "update with node args, an entry file and program args",
			dir:  "/w/src",
			req: &pulumirpc.RunRequest{
				MonitorAddress: "m", Args: []string{"a1"}, Info: &pulumirpc.ProgramInfo{EntryPoint: "main.js"},
			},
			opts: runtimeOptions{nodeargs: []string{"--max-old-space-size=256"}},
			want: []string{"--max-old-space-size=256", "/run", "--monitor", "m", "--engine", "127.0.0.1:2",
				"--pwd", "/w/src", "main.js", "a1"},
		},
		{
			name: "no program info: the directory's package.json main",
			dir:  "/w",
			req:  &pulumirpc.RunRequest{MonitorAddress: "m"},
			want: []string{"/run", "--monitor", "m", "--engine", "127.0.0.1:2", "--pwd", "/w", "."},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runArgs("/run", "127.0.0.1:2", c.dir, c.req, c.opts)
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("runArgs:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestRunEnvCarriesConfigAndSecretKeys(t *testing.T) {
	req := &pulumirpc.RunRequest{
		Config:           map[string]string{"proj:verdict": "pass", "avhealth:clientSecret": "s"},
		ConfigSecretKeys: []string{"avhealth:clientSecret"},
	}
	env, err := runEnv(req, runtimeOptions{typescript: false, tsconfig: "tsconfig.build.json"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "PULUMI_") {
			got[k] = v
		}
	}
	var config map[string]string
	if err := json.Unmarshal([]byte(got["PULUMI_CONFIG"]), &config); err != nil {
		t.Fatalf("PULUMI_CONFIG is not JSON: %v", err)
	}
	if !reflect.DeepEqual(config, req.Config) {
		t.Fatalf("PULUMI_CONFIG = %v, want %v", config, req.Config)
	}
	if got["PULUMI_CONFIG_SECRET_KEYS"] != `["avhealth:clientSecret"]` {
		t.Fatalf("PULUMI_CONFIG_SECRET_KEYS = %q", got["PULUMI_CONFIG_SECRET_KEYS"])
	}
	if got["PULUMI_NODEJS_TYPESCRIPT"] != "false" || got["PULUMI_NODEJS_TSCONFIG_PATH"] != "tsconfig.build.json" {
		t.Fatalf("typescript settings = %q, %q", got["PULUMI_NODEJS_TYPESCRIPT"], got["PULUMI_NODEJS_TSCONFIG_PATH"])
	}
}

func TestParseRuntimeOptions(t *testing.T) {
	options, err := structpb.NewStruct(map[string]any{"typescript": false, "nodeargs": "--a --b"})
	if err != nil {
		t.Fatal(err)
	}
	got := parseRuntimeOptions(&pulumirpc.ProgramInfo{Options: options})
	if got.typescript || !reflect.DeepEqual(got.nodeargs, []string{"--a", "--b"}) {
		t.Fatalf("parseRuntimeOptions = %+v", got)
	}
	if !parseRuntimeOptions(nil).typescript {
		t.Fatal("typescript must default to true, as in the official host")
	}
}

func TestFindResourcePlugins(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		path := filepath.Join(dir, "node_modules", rel, "package.json")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("@pulumi/aws", `{"name":"@pulumi/aws","version":"6.1.0","pulumi":{"resource":true}}`)
	write("@pulumi/pulumi", `{"name":"@pulumi/pulumi","version":"3.248.0"}`)
	write("@acme/thing", `{"name":"@acme/thing","version":"1.0.0","pulumi":{"resource":true,"name":"acme","version":"2.0.0"}}`)
	write("plain", `{"name":"plain","version":"1.0.0"}`)
	write("broken", `{not json`)

	plugins, err := findResourcePlugins(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range plugins {
		got[p.GetName()] = p.GetVersion()
	}
	want := map[string]string{"aws": "v6.1.0", "acme": "v2.0.0"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plugins = %v, want %v", got, want)
	}
	if none, err := findResourcePlugins(t.TempDir()); err != nil || len(none) != 0 {
		t.Fatalf("no node_modules: plugins=%v err=%v", none, err)
	}
}

func TestPluginArgs(t *testing.T) {
	opts := runtimeOptions{nodeargs: []string{"--inspect"}}
	engine := []string{"-v=9", "127.0.0.1:5"}
	if got, want := pluginArgs("/rpp", "/pack", true, opts, engine),
		[]string{"--inspect", "/rpp", "-v=9", "127.0.0.1:5", "/pack"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("analyzer args = %q, want %q", got, want)
	}
	if got, want := pluginArgs("/rp", "/plugin", false, runtimeOptions{}, engine),
		[]string{"/rp", "/plugin", "-v=9", "127.0.0.1:5"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("plugin args = %q, want %q", got, want)
	}
}

func TestAppendStackEnv(t *testing.T) {
	env, err := appendStackEnv([]string{"KEEP=1"}, &pulumirpc.AnalyzerStackConfigureRequest{
		Stack: "dev", Project: "proj", Organization: "organization", DryRun: true,
		Config: map[string]string{"proj:verdict": "pass"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"KEEP=1", "PULUMI_NODEJS_ORGANIZATION=organization", "PULUMI_NODEJS_PROJECT=proj",
		"PULUMI_NODEJS_STACK=dev", "PULUMI_NODEJS_DRY_RUN=true", `PULUMI_CONFIG={"proj:verdict":"pass"}`}
	if !reflect.DeepEqual(env, want) {
		t.Fatalf("env = %q, want %q", env, want)
	}
	if same, _ := appendStackEnv([]string{"A=1"}, nil); !reflect.DeepEqual(same, []string{"A=1"}) {
		t.Fatalf("nil configuration changed the environment: %q", same)
	}
}
