// Lints the package's TypeScript (`npm run lint`, part of `./just lint`): the
// recommended and type-aware rules of typescript-eslint. The files lasso-codegen
// writes (generated.ts, generated-helpers.ts, types.ts, error-classes.ts) are checked too: the
// generator must write clean code.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // addon.ts is napi-rs's own output (checked by tsc, not restyled here).
  { ignores: ["dist/**", "node_modules/**", "test/**", "examples/**", "scripts/**", "bin/**", "*.mjs", "src/addon.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `void promise` marks a deliberately floating Promise; unused arguments are named `_x`.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
