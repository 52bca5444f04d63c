# SPDX-License-Identifier: MIT
"""json_validate.py - hold dgen's and dgenfs's JSON to docs/json/*.schema.json.

    python3 json_validate.py SCHEMA_DIR KIND FILE

FILE holds one JSON document per line (what dgen --json writes), each of
which must be strict UTF-8, parse, and validate against KIND.schema.json
(error.schema.json where it has "message"); the schemas refer to each
other by $id (urn:dgenfs:json:common).  Exit status 0 valid, 1 not, 77 when
python3-jsonschema is missing (the caller skips).  Not a test by itself:
tests/json_schema.sh and tests/mount_shard.sh run it.
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is missing (apt-get install python3-jsonschema)")
    sys.exit(77)


def validator_for(schemas, kind):
    schema = schemas["urn:dgenfs:json:" + kind]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    try:  # jsonschema 4.18 and later
        import referencing
        registry = referencing.Registry().with_resources(
            (uri, referencing.Resource.from_contents(s)) for uri, s in schemas.items())
        return cls(schema, registry=registry)
    except ImportError:  # Debian 12's 4.10
        return cls(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=schemas))


def main(schema_dir, kind, path):
    schemas = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".schema.json"):
            with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
                s = json.load(f)
            schemas[s["$id"]] = s
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")  # strict: a byte that is not UTF-8 fails
    except UnicodeDecodeError as e:
        print("%s: not UTF-8: %s" % (path, e))
        return 1
    lines = text.splitlines()
    if not lines:
        print("%s: no JSON document" % path)
        return 1
    bad = 0
    for n, line in enumerate(lines, 1):
        try:
            doc = json.loads(line)
        except ValueError as e:
            print("%s:%d: not JSON: %s: %r" % (path, n, e, line[:200]))
            return 1
        which = "error" if isinstance(doc, dict) and "message" in doc else kind
        for err in validator_for(schemas, which).iter_errors(doc):
            print("%s:%d: against %s.schema.json: %s at %s" %
                  (path, n, which, err.message, "/".join(map(str, err.absolute_path))))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
