package main

import (
	"math/rand"
	"sort"
	"strconv"
	"time"
)

// TechEmpower's rules shared by the handlers (RULES.md in the project's shared folder).
const (
	worldRows    = 10000 // World ids are 1..10000
	maxQueries   = 500   // queries/updates clamp N to 1..500
	extraFortune = "Additional fortune added at request time."
)

// world is one World row; the JSON keys are "id" and "randomNumber".
type world struct {
	ID           int32 `json:"id"`
	RandomNumber int32 `json:"randomNumber"`
}

// fortune is one Fortune row.
type fortune struct {
	ID      int32
	Message string
}

// queryCount is the queries parameter clamped to 1..500; missing, 0, negative or non-integer -> 1.
func queryCount(text string) int {
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 {
		return 1
	}
	if n > maxQueries {
		return maxQueries
	}
	return n
}

// Go 1.19's math/rand starts every process from the same seed: without this, two servers run one after the
// other against one database would draw the same ids and numbers, so the second one's /updates would write the
// values the first one already wrote, and TechEmpower's changed-rows check would fail it.
func init() { rand.Seed(time.Now().UnixNano()) }

// randomID is a World id to read (no cache: every request asks the database).
func randomID() int32 {
	return int32(rand.Intn(worldRows) + 1)
}

// randomIDs are n distinct World ids, so no row is read or updated twice in one request.
func randomIDs(n int) []int32 {
	seen := make(map[int32]struct{}, n)
	ids := make([]int32, 0, n)
	for len(ids) < n {
		id := randomID()
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			ids = append(ids, id)
		}
	}
	return ids
}

// withExtraFortune adds the fortune added at request time and sorts by message (the SQL has no ORDER BY).
func withExtraFortune(rows []fortune) []fortune {
	rows = append(rows, fortune{ID: 0, Message: extraFortune})
	sort.Slice(rows, func(i, j int) bool { return rows[i].Message < rows[j].Message })
	return rows
}
