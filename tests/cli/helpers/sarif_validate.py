#!/usr/bin/python3
# sarif_validate.py SCHEMA FILE...: validates each SARIF FILE against the
# JSON schema SCHEMA (the official sarif-2.1.0.json, fetched by
# scripts/sarif-schema.sh). Prints every error with the JSON path of the
# offending value and exits 1 when any file has one, 2 when the schema or a
# file cannot be read. Uses Debian's python3-jsonschema (run it with
# /usr/bin/python3); the validator class is the one the schema's "$schema"
# names (draft 2020-12 for the official file), and formats such as "uri"
# are checked where the installed jsonschema knows how.
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("sarif_validate: python3-jsonschema is not installed "
                     "(apt-get install python3-jsonschema)\n")
    sys.exit(2)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.stderr.write("sarif_validate: '%s': %s\n" % (path, e))
        sys.exit(2)


def where(error):
    # "$.runs[0].results[2].level": where the value is in the document.
    out = "$"
    for p in error.absolute_path:
        out += "[%d]" % p if isinstance(p, int) else ".%s" % p
    return out


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: sarif_validate.py SCHEMA FILE...\n")
        return 2
    schema = load(argv[1])
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    checker = getattr(cls, "FORMAT_CHECKER", None)
    validator = cls(schema, format_checker=checker)
    bad = 0
    for path in argv[2:]:
        errors = sorted(validator.iter_errors(load(path)),
                        key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            print("%s: %s: %s" % (path, where(e), e.message))
        if errors:
            bad += 1
        else:
            print("%s: valid SARIF 2.1.0" % path)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
