package benchshared

import (
	"encoding/json"
	"os"
	"runtime"
	"strings"
)

// PrintVersions writes the server's components and versions as one JSON object (the scenario's `versions`
// command captures it into the results): Go's runtime version (net/http is part of Go), then `own` (versions
// the server knows from constants, such as gin.Version), then the Debian package versions build.sh linked in
// as debianVersions ("package=version;..."), each under its name in `names` (package -> component).
func PrintVersions(own map[string]string, debianVersions string, names map[string]string) {
	out := map[string]string{"go": runtime.Version()}
	for component, version := range own {
		out[component] = version
	}
	for _, entry := range strings.Split(debianVersions, ";") {
		if name, version, ok := strings.Cut(entry, "="); ok && names[name] != "" {
			out[names[name]] = version
		}
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
