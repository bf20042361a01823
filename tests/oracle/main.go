// Command oracle applies a patch to a workload object the way the Kubernetes API server does and prints the
// resulting hostNetwork: the reference the engine's reading of patch bodies is tested against
// (tests/oracle/test_oracle_*.py). It is built from Debian's Go packages only (Makefile target `oracle`).
//
// One request per input line, one answer per output line, so a test starts it once:
//
//	{"kind": "Deployment", "type": "json" | "merge", "base": "<object JSON>", "patch": "<patch JSON>"}
//	{"hostNetwork": true | false, "error": "" | "<why the API server rejects the request>"}
//
// base and patch are JSON text inside strings so that repeated keys reach the Go libraries as written.
//
// The API server (k8s.io/apiserver .../handlers/patch.go, jsonPatcher) applies an application/json-patch+json
// body with evanphx/json-patch's v4 API (DecodePatch, then Patch.Apply on the object's JSON), an
// application/merge-patch+json body with MergePatch, and decodes the patched JSON into a new typed object
// with sigs.k8s.io/json.UnmarshalCaseSensitivePreserveInts (the json serializer's non-strict path; the strict
// one decodes the same way and only adds strict errors).
//
// Debian packages the v4 API as the root package of evanphx/json-patch 5.2.0; the API server vendors
// gopkg.in/evanphx/json-patch.v4 (v4.12/v4.13), which differs in a few places that apply patches differently.
// applyJSONPatch applies the operations one at a time and emulates those places (see v4Only).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	jsonpatch "github.com/evanphx/json-patch"
	kjson "sigs.k8s.io/json"
)

// A minimal mirror of the k8s.io/api types on the way to hostNetwork: value (non-pointer) structs, the same
// json names, so repeated keys and nulls decode as they do into the real types.
type podSpec struct {
	HostNetwork bool `json:"hostNetwork,omitempty"`
}

type podTemplateSpec struct {
	Spec podSpec `json:"spec,omitempty"`
}

type pod struct {
	Spec podSpec `json:"spec,omitempty"`
}

type templateSpec struct { // DeploymentSpec, DaemonSetSpec, ReplicaSetSpec, StatefulSetSpec, JobSpec, RC spec
	Template podTemplateSpec `json:"template"`
}

type workload struct {
	Spec templateSpec `json:"spec,omitempty"`
}

type jobTemplateSpec struct {
	Spec templateSpec `json:"spec,omitempty"`
}

type cronJobSpec struct {
	JobTemplate jobTemplateSpec `json:"jobTemplate"`
}

type cronJob struct {
	Spec cronJobSpec `json:"spec,omitempty"`
}

type podTemplate struct {
	Template podTemplateSpec `json:"template,omitempty"`
}

type request struct {
	Kind  string `json:"kind"`
	Type  string `json:"type"`
	Base  string `json:"base"`
	Patch string `json:"patch"`
}

type answer struct {
	HostNetwork bool   `json:"hostNetwork"`
	Error       string `json:"error"`
}

func decode(kind string, doc []byte) (bool, error) {
	switch kind {
	case "Pod":
		var obj pod
		err := kjson.UnmarshalCaseSensitivePreserveInts(doc, &obj)
		return obj.Spec.HostNetwork, err
	case "Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job", "ReplicationController":
		var obj workload
		err := kjson.UnmarshalCaseSensitivePreserveInts(doc, &obj)
		return obj.Spec.Template.Spec.HostNetwork, err
	case "CronJob":
		var obj cronJob
		err := kjson.UnmarshalCaseSensitivePreserveInts(doc, &obj)
		return obj.Spec.JobTemplate.Spec.Template.Spec.HostNetwork, err
	case "PodTemplate":
		var obj podTemplate
		err := kjson.UnmarshalCaseSensitivePreserveInts(doc, &obj)
		return obj.Template.Spec.HostNetwork, err
	}
	return false, fmt.Errorf("unknown kind %q", kind)
}

// stringField is an operation's member as the v4 API reads it (Operation.Path/From): ok is false when it is
// missing, null or not a string.
func stringField(op jsonpatch.Operation, name string) (string, bool) {
	raw, present := op[name]
	if !present || raw == nil {
		return "", false
	}
	var text string
	if json.Unmarshal(*raw, &text) != nil {
		return "", false
	}
	return text, true
}

// v4Only applies the operations that gopkg.in/evanphx/json-patch.v4 applies and the 5.2.0 root package
// does not (handled is false for every other operation):
//   - replace with path "": the value (an object or an array) becomes the document, its top-level members
//     decoded into a map (the last of a repeated key wins), their values kept as written;
//   - test with path "": the document is compared with the value (and, where equal, read into maps).
func v4Only(doc []byte, op jsonpatch.Operation) (result []byte, handled bool, err error) {
	path, ok := stringField(op, "path")
	if !ok || path != "" {
		return nil, false, nil
	}
	value, present := op["value"]
	switch op.Kind() {
	case "replace":
		if !present || value == nil {
			return nil, true, fmt.Errorf("replace operation value must be object or array")
		}
		var members map[string]*json.RawMessage
		if json.Unmarshal(*value, &members) == nil && members != nil {
			out, err := json.Marshal(members)
			return out, true, err
		}
		var items []*json.RawMessage
		if json.Unmarshal(*value, &items) == nil && items != nil {
			out, err := json.Marshal(items)
			return out, true, err
		}
		return nil, true, fmt.Errorf("replace operation value must be object or array")
	case "test":
		if !present {
			return nil, true, fmt.Errorf("test of the whole document without a value (the v4 API panics)")
		}
		if value == nil || !jsonpatch.Equal(doc, *value) {
			return nil, true, fmt.Errorf("testing value failed")
		}
		// Comparing read every container of the document into the library's maps (the last of a repeated
		// key wins); Equal compared copies, so that is done here. Numbers keep their text; strings are
		// written again with Go's escapes, which only a later test of the same string could tell apart.
		decoder := json.NewDecoder(bytes.NewReader(doc))
		decoder.UseNumber()
		var read interface{}
		if err := decoder.Decode(&read); err != nil {
			return nil, true, err
		}
		out, err := json.Marshal(read)
		return out, true, err
	}
	return nil, false, nil
}

// applyOne applies one operation with the 5.2.0 package; a panic there (a nil value it dereferences) is a
// failed request, as the API server's panic recovery makes it.
func applyOne(doc []byte, op jsonpatch.Operation) (result []byte, err error) {
	defer func() {
		if recovered := recover(); recovered != nil {
			err = fmt.Errorf("json-patch panicked: %v", recovered)
		}
	}()
	if op.Kind() == "test" {
		if _, present := op["value"]; !present {
			// v4.13 passes a test without a value where the member is null; 5.2.0 dereferences the missing
			// value. Everywhere else a missing value and a null one test alike.
			op["value"] = nil
		}
	}
	return jsonpatch.Patch{op}.Apply(doc)
}

// applyJSONPatch applies the operations in order. Applying one at a time gives the result of applying them
// together: between operations the document is marshalled and read again, which keeps every value as
// written (a value nobody navigated into is marshalled as its raw text) and reads the rest as the library
// would on its next navigation.
func applyJSONPatch(base, patch []byte) ([]byte, error) {
	operations, err := jsonpatch.DecodePatch(patch)
	if err != nil {
		return nil, err
	}
	doc := base
	for number, op := range operations {
		if op == nil {
			return nil, fmt.Errorf("operation %d is null", number)
		}
		next, handled, err := v4Only(doc, op)
		if !handled {
			next, err = applyOne(doc, op)
		}
		if err != nil {
			return nil, fmt.Errorf("operation %d: %v", number, err)
		}
		doc = next
	}
	return doc, nil
}

func answerFor(line []byte) answer {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return answer{Error: "bad request line: " + err.Error()}
	}
	var patched []byte
	var err error
	switch req.Type {
	case "json":
		patched, err = applyJSONPatch([]byte(req.Base), []byte(req.Patch))
	case "merge":
		patched, err = jsonpatch.MergePatch([]byte(req.Base), []byte(req.Patch))
	default:
		err = fmt.Errorf("unknown patch type %q", req.Type)
	}
	if err != nil {
		return answer{Error: "patch: " + err.Error()}
	}
	hostNetwork, err := decode(req.Kind, patched)
	if err != nil {
		return answer{HostNetwork: hostNetwork, Error: "decode: " + err.Error()}
	}
	return answer{HostNetwork: hostNetwork}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	encoder := json.NewEncoder(out)
	for in.Scan() {
		if err := encoder.Encode(answerFor(in.Bytes())); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
