package main

import (
	"bytes"
	"net/http"

	"benchshared"

	"github.com/gin-gonic/gin"
)

// addDatabaseRoutes serves /db, /queries, /fortunes and /updates from db.
func addDatabaseRoutes(router *gin.Engine, db *benchshared.PgxStore) {
	router.GET("/db", func(c *gin.Context) {
		w, err := db.World(c, benchshared.RandomID())
		respondJSON(c, w, err)
	})
	router.GET("/queries", func(c *gin.Context) {
		ws, err := db.Worlds(c, benchshared.RandomIDs(benchshared.QueryCount(c.Query("queries"))))
		respondJSON(c, ws, err)
	})
	router.GET("/updates", func(c *gin.Context) {
		ws, err := db.UpdateWorlds(c, benchshared.RandomIDs(benchshared.QueryCount(c.Query("queries"))))
		respondJSON(c, ws, err)
	})
	router.GET("/fortunes", func(c *gin.Context) {
		rows, err := db.Fortunes(c)
		if err != nil {
			fail(c, err)
			return
		}
		var page bytes.Buffer
		if err := benchshared.FortunesTemplate.Execute(&page, benchshared.WithExtraFortune(rows)); err != nil {
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
