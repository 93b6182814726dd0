package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON holds the fields of a dependency's package.json that mark it as a Pulumi provider SDK.
type packageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// findResourcePlugins lists the provider plugins that the packages in dir/node_modules declare with
// `"pulumi": {"resource": true}`. Only top-level and @scope/ packages are read: npm hoists provider SDKs
// there, and a deep walk of a large node_modules would slow every command for no gain.
func findResourcePlugins(dir string) ([]*pulumirpc.PluginDependency, error) {
	var plugins []*pulumirpc.PluginDependency
	if dir == "" {
		return plugins, nil
	}
	root := filepath.Join(dir, "node_modules")
	entries, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return plugins, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", root, err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasPrefix(name, "@") {
			scoped, err := os.ReadDir(filepath.Join(root, name))
			if err != nil {
				continue // a scope entry that is not a directory is not a package
			}
			for _, s := range scoped {
				if p, ok := readPlugin(filepath.Join(root, name, s.Name(), "package.json")); ok {
					plugins = append(plugins, p)
				}
			}
			continue
		}
		if p, ok := readPlugin(filepath.Join(root, name, "package.json")); ok {
			plugins = append(plugins, p)
		}
	}
	return plugins, nil
}

// readPlugin returns the plugin a package.json declares; unreadable or non-provider packages are skipped
// because they are simply not providers, not an error in the program.
func readPlugin(path string) (*pulumirpc.PluginDependency, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var pkg packageJSON
	if json.Unmarshal(data, &pkg) != nil || !pkg.Pulumi.Resource {
		return nil, false
	}
	name := pkg.Pulumi.Name
	if name == "" {
		name = strings.TrimPrefix(strings.TrimPrefix(pkg.Name, "@pulumi/"), "@")
	}
	ver := pkg.Pulumi.Version
	if ver == "" {
		ver = pkg.Version
	}
	if name == "" || ver == "" {
		return nil, false
	}
	if !strings.HasPrefix(ver, "v") {
		ver = "v" + ver
	}
	return &pulumirpc.PluginDependency{Name: name, Kind: "resource", Version: ver, Server: pkg.Pulumi.Server}, true
}
