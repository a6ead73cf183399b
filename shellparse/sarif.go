package shellparse

import (
	"path/filepath"
	"sort"
)

// SARIF 2.1.0 log types: only the parts kiln fills in.
type (
	// SarifLog is the top-level SARIF object.
	SarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []SarifRun `json:"runs"`
	}
	// SarifRun is one run of one tool.
	SarifRun struct {
		Tool    SarifTool     `json:"tool"`
		Results []SarifResult `json:"results"`
	}
	// SarifTool describes kiln and its rules.
	SarifTool struct {
		Driver SarifDriver `json:"driver"`
	}
	// SarifDriver is kiln as a SARIF tool component.
	SarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []SarifRule `json:"rules"`
	}
	// SarifRule is one kind of finding.
	SarifRule struct {
		ID               string       `json:"id"`
		Name             string       `json:"name"`
		ShortDescription SarifMessage `json:"shortDescription"`
		DefaultConfig    SarifConfig  `json:"defaultConfiguration"`
	}
	// SarifConfig holds a rule's default level.
	SarifConfig struct {
		Level string `json:"level"`
	}
	// SarifMessage is a plain-text message.
	SarifMessage struct {
		Text string `json:"text"`
	}
	// SarifResult is one finding.
	SarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   SarifMessage    `json:"message"`
		Locations []SarifLocation `json:"locations"`
	}
	// SarifLocation is where a finding is.
	SarifLocation struct {
		PhysicalLocation SarifPhysical `json:"physicalLocation"`
	}
	// SarifPhysical is a file and a region in it.
	SarifPhysical struct {
		ArtifactLocation SarifArtifact `json:"artifactLocation"`
		Region           SarifRegion   `json:"region"`
	}
	// SarifArtifact names a file by URI.
	SarifArtifact struct {
		URI string `json:"uri"`
	}
	// SarifRegion is a start position (1-based).
	SarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
)

// sarifRules lists the finding rules in a fixed order (ruleIndex).
var sarifRules = []SarifRule{
	{ID: RuleSpawnInLoop, Name: "SpawnInLoop", ShortDescription: SarifMessage{"A process is spawned on every iteration of a loop."}, DefaultConfig: SarifConfig{"warning"}},
	{ID: RuleDynamicCommand, Name: "DynamicCommand", ShortDescription: SarifMessage{"The command run is not known statically."}, DefaultConfig: SarifConfig{"note"}},
	{ID: RuleUnresolvedSource, Name: "UnresolvedSource", ShortDescription: SarifMessage{"A sourced file cannot be followed statically."}, DefaultConfig: SarifConfig{"warning"}},
	{ID: RuleOptionInconsistency, Name: "OptionInconsistency", ShortDescription: SarifMessage{"Option parsing disagrees with the option spec or with parse-options semantics."}, DefaultConfig: SarifConfig{"warning"}},
}

// SARIF converts a report's findings to a SARIF 2.1.0 log. Scripts that
// failed to parse become error results of the rule "parse-error".
func SARIF(rep *Report, version string) *SarifLog {
	rules := append([]SarifRule{}, sarifRules...)
	rules = append(rules, SarifRule{ID: "parse-error", Name: "ParseError",
		ShortDescription: SarifMessage{"The script cannot be read or parsed."}, DefaultConfig: SarifConfig{"error"}})
	index := map[string]int{}
	for i, r := range rules {
		index[r.ID] = i
	}
	results := []SarifResult{}
	for _, sc := range rep.Scripts {
		if sc.Error != "" {
			results = append(results, sarifResult(rules, index["parse-error"], sc.Error, sc.Path, sc.ErrorLine, sc.ErrorCol))
			continue
		}
		for _, f := range sc.Findings {
			results = append(results, sarifResult(rules, index[f.Rule], f.Message, f.File, f.Line, f.Col))
		}
	}
	sort.SliceStable(results, func(i, j int) bool {
		a, b := results[i].Locations[0].PhysicalLocation, results[j].Locations[0].PhysicalLocation
		return a.ArtifactLocation.URI < b.ArtifactLocation.URI
	})
	return &SarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []SarifRun{{
			Tool:    SarifTool{Driver: SarifDriver{Name: "kiln", Version: version, Rules: rules}},
			Results: results,
		}},
	}
}

func sarifResult(rules []SarifRule, idx int, msg, file string, line, col int) SarifResult {
	return SarifResult{
		RuleID: rules[idx].ID, RuleIndex: idx, Level: rules[idx].DefaultConfig.Level,
		Message: SarifMessage{Text: msg},
		Locations: []SarifLocation{{PhysicalLocation: SarifPhysical{
			ArtifactLocation: SarifArtifact{URI: filepath.ToSlash(file)},
			Region:           SarifRegion{StartLine: max(line, 1), StartColumn: max(col, 1)},
		}}},
	}
}
