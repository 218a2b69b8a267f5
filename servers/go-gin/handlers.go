package main

import (
	"bytes"
	"html/template"
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"
)

// fortunesTemplate escapes every message (html/template), so the <script> fortune renders as text.
var fortunesTemplate = template.Must(template.New("fortunes").Parse(`<!DOCTYPE html>
<html>
<head><title>Fortunes</title></head>
<body>
<table>
<tr><th>id</th><th>message</th></tr>
{{range .}}<tr><td>{{.ID}}</td><td>{{.Message}}</td></tr>
{{end}}</table>
</body>
</html>
`))

// addDatabaseRoutes serves /db, /queries, /fortunes and /updates from db.
func addDatabaseRoutes(router *gin.Engine, db *database) {
	router.GET("/db", func(c *gin.Context) {
		w, err := db.world(c, randomID())
		respondJSON(c, w, err)
	})
	router.GET("/queries", func(c *gin.Context) {
		ws, err := db.worlds(c, randomIDs(queryCount(c.Query("queries"))))
		respondJSON(c, ws, err)
	})
	router.GET("/updates", func(c *gin.Context) {
		ws, err := db.updateWorlds(c, randomIDs(queryCount(c.Query("queries"))))
		respondJSON(c, ws, err)
	})
	router.GET("/fortunes", func(c *gin.Context) {
		rows, err := db.fortunes(c)
		if err != nil {
			fail(c, err)
			return
		}
		var page bytes.Buffer
		if err := fortunesTemplate.Execute(&page, withExtraFortune(rows)); err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "text/html; charset=utf-8", page.Bytes())
	})
}

// respondJSON writes value with encoding/json, or a 500 naming the error. c.JSON, never c.Negotiate:
// Negotiate is the one place Gin answers 406 (an Accept header matching none of the offered formats).
func respondJSON(c *gin.Context, value any, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, value)
}

func fail(c *gin.Context, err error) {
	c.String(http.StatusInternalServerError, "database error: %v", err)
}

func sortByID(ws []world) {
	sort.Slice(ws, func(i, j int) bool { return ws[i].ID < ws[j].ID })
}
