package archtest

import (
	"errors"
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
)

// Load reads the non-test imports of every package below root, the module's
// directory, with go/build. Directories named testdata, vendor, or starting
// with "." or "_" are skipped, as the go command skips them.
func Load(root string) ([]Package, error) {
	var pkgs []Package
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		bp, err := build.Default.ImportDir(path, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		importPath := Module
		if rel != "." {
			importPath += "/" + filepath.ToSlash(rel)
		}
		pkgs = append(pkgs, Package{Path: importPath, Imports: bp.Imports})
		return nil
	})
	return pkgs, err
}
