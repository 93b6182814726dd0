// sdkgen writes the Python and Go SDKs of the avhealth provider plugin from its Pulumi package schema, with
// Pulumi's own code generators (pkg/v3 codegen/python and codegen/go) run in process.
//
//	sdkgen -schema sdk/schema.json -out sdk
//
// writes sdk/python and sdk/go, replacing what was there. The schema must be self-contained: any reference to
// another package is refused.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "avhealth-sdkgen"

// selfContained refuses every external package: the avhealth schema references none.
type selfContained struct{}

func (selfContained) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q; only self-contained schemas are supported", pkg)
}

func (l selfContained) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l selfContained) LoadPackageReference(pkg string, v *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema references package %q; only self-contained schemas are supported", pkg)
}

func (l selfContained) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	outDir := flag.String("out", "", "directory to write python/ and go/ into")
	flag.Parse()
	if *schemaPath == "" || *outDir == "" {
		fmt.Fprintln(os.Stderr, "usage: sdkgen -schema SCHEMA.json -out DIR")
		os.Exit(2)
	}
	if err := run(*schemaPath, *outDir); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, outDir string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	loader := selfContained{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("%s: %s", schemaPath, diags.Error())
	}

	python, err := pygen.GeneratePackage(tool, pkg, nil, loader)
	if err != nil {
		return fmt.Errorf("python: %w", err)
	}
	golang, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		return fmt.Errorf("go: %w", err)
	}
	if err := write(filepath.Join(outDir, "python"), python); err != nil {
		return err
	}
	return write(filepath.Join(outDir, "go"), golang)
}

// write replaces dir with exactly the generated files, in a stable order.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
