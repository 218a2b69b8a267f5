// Package schema is the ent schema of TechEmpower's tables; entgen/ generates ../ (ent's code) from it.
package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// World is table world (ids 1..10000); JSON keys id and randomNumber.
type World struct{ ent.Schema }

func (World) Annotations() []schema.Annotation { return []schema.Annotation{entsql.Annotation{Table: "world"}} }
func (World) Fields() []ent.Field {
	return []ent.Field{field.Int32("id"), field.Int32("randomnumber").StructTag(`json:"randomNumber"`)}
}

// Fortune is table fortune (12 rows).
type Fortune struct{ ent.Schema }

func (Fortune) Annotations() []schema.Annotation { return []schema.Annotation{entsql.Annotation{Table: "fortune"}} }
func (Fortune) Fields() []ent.Field {
	return []ent.Field{field.Int32("id"), field.String("message")}
}
