package main

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rogpeppe/go-internal/testscript"
)

// sarifValid checks a file against the structure SARIF 2.1.0 requires of
// the objects kiln writes: required properties, their types, the allowed
// property names of sarifLog, run, result and location (which the schema
// closes with additionalProperties: false), levels, 1-based regions and
// rule indexes that agree with rule ids.
func sarifValid(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: sarif-valid file")
	}
	err := checkSARIF([]byte(ts.ReadFile(args[0])))
	switch {
	case err != nil && !neg:
		ts.Fatalf("%s: not valid SARIF 2.1.0: %v", args[0], err)
	case err == nil && neg:
		ts.Fatalf("%s: valid SARIF 2.1.0, want invalid", args[0])
	}
}

type jsonObject = map[string]any

var sarifAllowed = map[string][]string{
	"sarifLog": {"$schema", "version", "runs", "inlineExternalProperties", "properties"},
	"run": {"tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds",
		"artifacts", "logicalLocations", "graphs", "results", "automationDetails", "runAggregates", "baselineGuid",
		"redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
		"externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses", "translations",
		"policies", "webRequests", "webResponses", "specialLocations", "properties"},
	"result": {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid",
		"correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs",
		"graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank", "attachments", "hostedViewerUri",
		"workItemUris", "provenance", "fixes", "taxa", "webRequest", "webResponse", "properties"},
	"location": {"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships", "properties"},
}

func checkSARIF(data []byte) error {
	var log jsonObject
	if err := json.Unmarshal(data, &log); err != nil {
		return err
	}
	if err := allowedKeys("sarifLog", log); err != nil {
		return err
	}
	if log["version"] != "2.1.0" {
		return fmt.Errorf("version is %v, want 2.1.0", log["version"])
	}
	runs, ok := log["runs"].([]any)
	if !ok {
		return fmt.Errorf("runs is not an array")
	}
	for i, r := range runs {
		if err := checkRun(r); err != nil {
			return fmt.Errorf("runs[%d]: %v", i, err)
		}
	}
	return nil
}

func checkRun(v any) error {
	run, ok := v.(jsonObject)
	if !ok {
		return fmt.Errorf("not an object")
	}
	if err := allowedKeys("run", run); err != nil {
		return err
	}
	driver, ok := dig(run, "tool", "driver").(jsonObject)
	if !ok {
		return fmt.Errorf("tool.driver missing")
	}
	if name, ok := driver["name"].(string); !ok || name == "" {
		return fmt.Errorf("tool.driver.name missing")
	}
	var ruleIDs []string
	if rules, ok := driver["rules"].([]any); ok {
		for i, r := range rules {
			id, ok := dig(r, "id").(string)
			if !ok || id == "" {
				return fmt.Errorf("rules[%d].id missing", i)
			}
			ruleIDs = append(ruleIDs, id)
		}
	}
	results, _ := run["results"].([]any)
	for i, r := range results {
		if err := checkResult(r, ruleIDs); err != nil {
			return fmt.Errorf("results[%d]: %v", i, err)
		}
	}
	return nil
}

func checkResult(v any, ruleIDs []string) error {
	res, ok := v.(jsonObject)
	if !ok {
		return fmt.Errorf("not an object")
	}
	if err := allowedKeys("result", res); err != nil {
		return err
	}
	if text, ok := dig(res, "message", "text").(string); !ok || text == "" {
		return fmt.Errorf("message.text missing")
	}
	if lvl, ok := res["level"]; ok && !slices.Contains([]any{"none", "note", "warning", "error"}, lvl) {
		return fmt.Errorf("level %v", lvl)
	}
	if idx, ok := res["ruleIndex"].(float64); ok {
		if int(idx) < 0 || int(idx) >= len(ruleIDs) || ruleIDs[int(idx)] != res["ruleId"] {
			return fmt.Errorf("ruleIndex %v does not name rule %v", idx, res["ruleId"])
		}
	}
	locs, _ := res["locations"].([]any)
	for _, l := range locs {
		loc, ok := l.(jsonObject)
		if !ok {
			return fmt.Errorf("location is not an object")
		}
		if err := allowedKeys("location", loc); err != nil {
			return err
		}
		if uri, ok := dig(loc, "physicalLocation", "artifactLocation", "uri").(string); !ok || uri == "" {
			return fmt.Errorf("location without artifactLocation.uri")
		}
		for _, k := range []string{"startLine", "startColumn"} {
			if n, ok := dig(loc, "physicalLocation", "region", k).(float64); ok && n < 1 {
				return fmt.Errorf("region.%s is %v, must be >= 1", k, n)
			}
		}
	}
	return nil
}

func allowedKeys(what string, obj jsonObject) error {
	for k := range obj {
		if !slices.Contains(sarifAllowed[what], k) {
			return fmt.Errorf("%s has no property %q", what, k)
		}
	}
	return nil
}

// dig follows object keys, returning nil where one is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		obj, ok := v.(jsonObject)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}
