#!/usr/bin/python3
# validate.py SCHEMA FILE... [--lines]: validates each FILE, a JSON document
# (or with --lines a JSONL file, each line on its own), against SCHEMA, one
# of docs/schema/*.schema.json. Prints one line per error,
#     FILE[:LINE]: $.json.path: message
# and exits 1 when any file has an error, 2 when a schema or a file cannot be
# read or the arguments are wrong, 0 when all are valid.
#
# validate.py --batch MANIFEST: the same for many files in one process (the
# end-to-end tests' wrapper, tests/cli/helpers/lp, collects them); each line
# of MANIFEST is SCHEMA<TAB>FILE<TAB>json|lines<TAB>what made it.
#
# Offline: the relative $refs between the schemas (common.schema.json#/...)
# are resolved against the other *.json files of SCHEMA's directory, loaded
# beforehand; nothing is fetched. Works with Debian's python3-jsonschema
# 4.10 (RefResolver) and with the newer `referencing` registry. Run it with
# /usr/bin/python3.
#
# With --lines, a schema whose $defs has "last" (the summary line of scan
# and secrets JSONL) also requires the last line, and no other, to be that.
# Beyond the schema, a document must be strict JSON: no duplicate keys, no
# NaN or Infinity, valid UTF-8, nothing after it; each JSONL line ends with
# a newline.
import json
import os
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    sys.stderr.write("validate: python3-jsonschema is not installed "
                     "(apt-get install python3-jsonschema)\n")
    sys.exit(2)


class Unreadable(Exception):
    pass


def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError("duplicate key '%s'" % k)
        seen[k] = v
    return seen


def no_constant(name):
    raise ValueError("'%s' is not JSON" % name)


def parse(text):
    return json.loads(text, object_pairs_hook=no_duplicates,
                      parse_constant=no_constant)


def file_uri(path):
    return "file://" + os.path.abspath(path)


def load_schemas(directory):
    """Every *.json of directory, keyed by its file URI; each gets that URI
    as its $id (in memory) when it has none, so relative $refs resolve to
    the files beside it."""
    store = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8") as f:
                schema = parse(f.read())
        except (OSError, ValueError) as e:
            raise Unreadable("'%s': %s" % (path, e))
        schema.setdefault("$id", file_uri(path))
        store[file_uri(path)] = schema
    return store


def make_validator(schema, store, base):
    checker = getattr(Draft202012Validator, "FORMAT_CHECKER", None)
    Draft202012Validator.check_schema(schema)
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
        registry = Registry().with_resources(
            (uri, Resource.from_contents(s, default_specification=DRAFT202012))
            for uri, s in store.items())
        return Draft202012Validator(schema, registry=registry,
                                    format_checker=checker)
    except ImportError:
        resolver = jsonschema.RefResolver(base, store[base], store=store)
        return Draft202012Validator(schema, resolver=resolver,
                                    format_checker=checker)


class Schemas:
    """The validators of one schema directory, made once each."""

    def __init__(self):
        self.stores = {}
        self.validators = {}

    def get(self, schema_path, fragment=None):
        key = (os.path.abspath(schema_path), fragment)
        if key in self.validators:
            return self.validators[key]
        directory = os.path.dirname(key[0])
        if directory not in self.stores:
            self.stores[directory] = load_schemas(directory)
        store = self.stores[directory]
        schema = store.get(file_uri(key[0]))
        if schema is None:
            raise Unreadable("'%s': no such schema" % schema_path)
        if fragment:
            if fragment not in schema.get("$defs", {}):
                return None
            # A subschema validated as the root keeps the file's base URI.
            sub = {"$ref": schema["$id"] + "#/$defs/" + fragment}
            self.validators[key] = make_validator(sub, store, schema["$id"])
        else:
            self.validators[key] = make_validator(schema, store, schema["$id"])
        return self.validators[key]


def where(path):
    # "$.files[0].matches[2].how": where the value is in the document.
    out = "$"
    for p in path:
        out += "[%d]" % p if isinstance(p, int) else ".%s" % p
    return out


def leaves(error):
    """The errors to show for one error: for a failed oneOf/anyOf, those of
    the alternative that came closest (fewest errors, then deepest), so the
    message names the field at fault instead of 'not valid under any'."""
    if not error.context:
        return [error]
    branches = {}
    for e in error.context:
        branches.setdefault(e.relative_schema_path[0], []).append(e)
    best = min(branches.values(),
               key=lambda es: (len(es), -max(len(e.absolute_path) for e in es)))
    out = []
    for e in best:
        out.extend(leaves(e))
    return out


def errors_of(validator, instance):
    msgs = []
    for top in sorted(validator.iter_errors(instance),
                      key=lambda e: list(map(str, e.absolute_path))):
        for e in leaves(top):
            msgs.append("%s: %s" % (where(e.absolute_path), e.message))
    return msgs


def read_text(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Unreadable("'%s': %s" % (path, e.strerror))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        return e  # reported as an error of the file


def check_document(schemas, schema_path, path):
    text = read_text(path)
    if isinstance(text, UnicodeDecodeError):
        return ["%s: not UTF-8: %s" % (path, text)]
    try:
        doc = parse(text)
    except ValueError as e:
        return ["%s: not JSON: %s" % (path, e)]
    return ["%s: %s" % (path, m)
            for m in errors_of(schemas.get(schema_path), doc)]


def check_lines(schemas, schema_path, path):
    text = read_text(path)
    if isinstance(text, UnicodeDecodeError):
        return ["%s: not UTF-8: %s" % (path, text)]
    if not text:
        return ["%s: empty: a JSONL report has at least its last line" % path]
    if not text.endswith("\n"):
        return ["%s: the last line has no newline" % path]
    validator = schemas.get(schema_path)
    last = schemas.get(schema_path, "last")
    lines = text[:-1].split("\n")
    out = []
    for n, line in enumerate(lines, 1):
        try:
            doc = parse(line)
        except ValueError as e:
            out.append("%s:%d: not JSON: %s" % (path, n, e))
            continue
        if not isinstance(doc, dict):
            out.append("%s:%d: not a JSON object" % (path, n))
            continue
        msgs = errors_of(validator, doc)
        if not msgs and last is not None:
            is_last = not errors_of(last, doc)
            if is_last and n != len(lines):
                msgs = ["the summary line is not the last line"]
            elif not is_last and n == len(lines):
                msgs = ["the last line is not the summary line"]
        out.extend("%s:%d: %s" % (path, n, m) for m in msgs)
    return out


def check(schemas, schema_path, path, lines):
    if lines:
        return check_lines(schemas, schema_path, path)
    return check_document(schemas, schema_path, path)


def batch(manifest):
    schemas = Schemas()
    bad = 0
    with open(manifest, encoding="utf-8") as f:
        entries = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    for entry in entries:
        if len(entry) < 3:
            raise Unreadable("'%s': bad entry %r" % (manifest, entry))
        schema_path, path, mode = entry[:3]
        msgs = check(schemas, schema_path, path, mode == "lines")
        if msgs:
            bad += 1
            if len(entry) > 3:
                print("%s: from: %s" % (path, entry[3]))
            print("%s: schema %s" % (path, os.path.basename(schema_path)))
            for m in msgs:
                print(m)
    return 1 if bad else 0


def main(argv):
    args = [a for a in argv[1:] if a != "--lines"]
    lines = len(args) != len(argv) - 1
    try:
        if len(args) == 2 and args[0] == "--batch":
            return batch(args[1])
        if len(args) < 2 or any(a.startswith("--") for a in args):
            sys.stderr.write("usage: validate.py SCHEMA FILE... [--lines]\n"
                             "       validate.py --batch MANIFEST\n")
            return 2
        schemas = Schemas()
        bad = 0
        for path in args[1:]:
            msgs = check(schemas, args[0], path, lines)
            for m in msgs:
                print(m)
            bad += bool(msgs)
        return 1 if bad else 0
    except Unreadable as e:
        sys.stderr.write("validate: %s\n" % e)
        return 2
    except jsonschema.exceptions.SchemaError as e:
        sys.stderr.write("validate: invalid schema: %s at %s\n"
                         % (e.message, where(e.absolute_path)))
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
