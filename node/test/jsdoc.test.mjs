// JSDoc reaches users through the .d.ts files: every public class, method, accessor,
// property and exported function of the built typings carries a doc comment, and every
// method taking request options documents the `signal`.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import ts from "typescript";

import { NODE_DIR } from "./helpers/mock.mjs";

const DIST = join(NODE_DIR, "dist");

function declarationFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return /\.d\.m?ts$/.test(entry.name) ? [path] : [];
  });
}

const hasDoc = (node) => ts.getJSDocCommentsAndTags(node).some((d) => ts.isJSDoc(d));
const isExported = (node) => (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
const isPrivate = (member) =>
  (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Private) !== 0 ||
  (member.name !== undefined && ts.isPrivateIdentifier(member.name));
const memberName = (member) => (member.name ? member.name.getText() : ts.SyntaxKind[member.kind]);

/** Every undocumented public declaration, as `file: Owner.member`. */
function undocumented() {
  const missing = [];
  const optionsWithoutSignal = [];
  let members = 0;
  for (const file of declarationFiles(DIST)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const where = relative(DIST, file);
    for (const statement of source.statements) {
      if (!isExported(statement)) continue;
      const owner = statement.name?.getText() ?? "(anonymous)";
      if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
        if (!hasDoc(statement)) missing.push(`${where}: ${owner}`);
      }
      if (!ts.isClassDeclaration(statement) && !ts.isInterfaceDeclaration(statement)) continue;
      // Overloads: one documented declaration covers the others of the same name.
      const documented = new Set(statement.members.filter(hasDoc).map(memberName));
      for (const member of statement.members) {
        if (isPrivate(member) || ts.isIndexSignatureDeclaration(member)) continue;
        const isMethod = ts.isMethodDeclaration(member) || ts.isMethodSignature(member) || ts.isConstructorDeclaration(member);
        const isClassMember = ts.isClassDeclaration(statement);
        // Every method; in classes, every accessor and property too.
        if (!isMethod && !isClassMember) continue;
        members++;
        const name = memberName(member);
        if (!documented.has(name)) missing.push(`${where}: ${owner}.${name}`);
        const internal = ts.getJSDocTags(member).some((tag) => tag.tagName.text === "internal");
        if (isMethod && !internal && member.parameters?.some((p) => p.type?.getText() === "RequestOptions")) {
          const docs = statement.members
            .filter((m) => memberName(m) === name)
            .flatMap((m) => ts.getJSDocCommentsAndTags(m))
            .map((d) => d.getText())
            .join("\n");
          if (!docs.includes("signal")) optionsWithoutSignal.push(`${where}: ${owner}.${name}`);
        }
      }
    }
  }
  return { missing: [...new Set(missing)], optionsWithoutSignal: [...new Set(optionsWithoutSignal)], members };
}

test("every public declaration in the .d.ts files has JSDoc", () => {
  const { missing, members } = undocumented();
  assert.ok(members > 150, `only ${members} members were checked`);
  assert.deepEqual(missing, []);
});

test("every method taking request options documents `signal`", () => {
  const { optionsWithoutSignal } = undocumented();
  assert.deepEqual(optionsWithoutSignal, []);
});

test("the doc comments survive in the shipped typings (spot checks)", () => {
  const client = readFileSync(join(DIST, "client.d.ts"), "utf8");
  assert.match(client, /\/\*\*\n \* A client of the Lasso API\./);
  assert.match(client, /Releases the client/);
  const generated = readFileSync(join(DIST, "generated.d.ts"), "utf8");
  assert.match(generated, /`GET \/tables\/\{table_id\}`: /);
  const errors = readFileSync(join(DIST, "errors.d.ts"), "utf8");
  assert.match(errors, /its `name` is\n \* `"AbortError"`/);
});
