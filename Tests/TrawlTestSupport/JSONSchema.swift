import Foundation

/// JSON-schema validation with python3's `jsonschema` (Draft 4, with format checks), as the
/// SARIF schema asks. `make test` installs the module.
public enum JSONSchema {
    /// Validates the JSON file at `document` against the schema file at `schema`: status 0 when
    /// valid, 1 with the first errors in `output` when not, 3 when the python module is missing.
    public static func validate(document: String, schema: String) throws -> ProcessResult {
        try Subprocess.python(script, [schema, document])
    }

    /// Validates a JSON text (written to a temporary file first).
    public static func validate(json: String, schema: String) throws -> ProcessResult {
        try TemporaryDirectory.with("schema") { directory in
            let file = directory.appendingPathComponent("document.json")
            try json.write(to: file, atomically: true, encoding: .utf8)
            return try validate(document: file.path, schema: schema)
        }
    }

    static let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            print("python3 module jsonschema is missing: pip install jsonschema (make test installs it)"); sys.exit(3)
        schema = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[2]))
        errors = list(jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(log))
        for e in errors[:10]: print("/".join(map(str, e.absolute_path)), e.message)
        sys.exit(1 if errors else 0)
        """
}
