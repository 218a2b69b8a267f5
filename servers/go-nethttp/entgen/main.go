// Command entgen regenerates the ent code in ../ent from ../ent/schema, offline, with Debian's ent 0.11
// (Debian ships entc, the generator library, but not the `ent` command). Run it through ../build.sh --generate.
package main

import (
	"log"

	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	if err := entc.Generate("./ent/schema", &gen.Config{Package: "benchgo/ent", Target: "./ent"}); err != nil {
		log.Fatal(err)
	}
}
