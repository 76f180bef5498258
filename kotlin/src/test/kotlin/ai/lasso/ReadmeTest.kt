// Every Kotlin and Java block of kotlin/README.md, compiled (the Kotlin ones in one
// compilation, with the build's own compiler) and run against lasso-mock in a child JVM
// whose environment points LASSO_API_KEY / LASSO_BASE_URL at the emulator, as a user's
// would. Each block runs in a function of its own, after a reset of the emulator, with
// `tableId` (and, for Java, `key`) given, the names the README's prose introduces.
package ai.lasso

import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.jar.JarFile
import javax.tools.ToolProvider
import org.jetbrains.kotlin.cli.common.ExitCode
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeTest {
    private lateinit var mock: Mock

    @BeforeAll
    fun start() {
        mock = Mock.start("--time-scale", "0")
    }

    @AfterAll
    fun stop() = mock.close()

    /** A fenced block of the README and the line it starts on. */
    private data class Block(val lang: String, val code: String, val line: Int)

    private fun blocks(markdown: String): List<Block> =
        Regex("^```(\\w*)\\n([\\s\\S]*?)^```$", RegexOption.MULTILINE).findAll(markdown).map { m ->
            Block(m.groupValues[1], m.groupValues[2], markdown.substring(0, m.range.first).count { it == '\n' } + 1)
        }.toList()

    /** The test's classpath, with the entries of a manifest-only jar (Surefire's) spelled out. */
    private fun classpath(): List<String> =
        System.getProperty("java.class.path").split(File.pathSeparator).flatMap { entry ->
            val file = File(entry)
            val manifest = if (file.isFile && entry.endsWith(".jar")) JarFile(file).use { it.manifest } else null
            val more = manifest?.mainAttributes?.getValue("Class-Path")?.split(" ")?.filter { it.isNotBlank() }
                ?.map { File(java.net.URI(it).takeIf { u -> u.isAbsolute } ?: file.parentFile.toURI().resolve(it)).path }
            listOf(entry) + (more ?: emptyList())
        }

    /** Imports of a block, and the rest. */
    private fun split(code: String): Pair<List<String>, String> {
        val (imports, rest) = code.lines().partition { it.startsWith("import ") }
        return imports to rest.joinToString("\n")
    }

    @Test
    fun `every Kotlin and Java block of the README compiles and runs against lasso-mock`() {
        val all = blocks(Files.readString(Mock.REPO.resolve("kotlin/README.md")))
        val kotlin = all.filter { it.lang == "kotlin" }
        val java = all.filter { it.lang == "java" }
        assertTrue(kotlin.size >= 5 && java.isNotEmpty(), "${kotlin.size} Kotlin and ${java.size} Java blocks")
        val dir = Files.createTempDirectory("lasso-kotlin-readme")
        try {
            val out = dir.resolve("classes").also { Files.createDirectories(it) }
            val cp = classpath()

            // Java first: plain javac over the SDK's classes.
            val javaSource = buildString {
                append("package readme;\n\nimport ai.lasso.*;\nimport java.time.Duration;\n\n")
                append("public final class ReadmeJava {\n")
                java.forEachIndexed { i, b ->
                    append("    // README line ${b.line}\n")
                    append("    public static void block$i(String key, String tableId) throws Exception {\n${b.code}\n    }\n")
                }
                append("}\n")
            }
            val javaFile = dir.resolve("ReadmeJava.java").also { Files.writeString(it, javaSource) }
            val javacErrors = ByteArrayOutputStream()
            val javac = ToolProvider.getSystemJavaCompiler().run(
                null, null, PrintStream(javacErrors),
                "-classpath", cp.joinToString(File.pathSeparator), "-d", out.toString(), javaFile.toString(),
            )
            assertEquals(0, javac, "the README's Java blocks do not compile:\n$javacErrors\n$javaSource")

            // Kotlin: one file, a function per block, and a main running them all in order.
            val imports = sortedSetOf("import kotlinx.coroutines.runBlocking")
            val functions = StringBuilder()
            kotlin.forEachIndexed { i, b ->
                val (own, body) = split(b.code)
                imports += own
                functions.append("\n// README line ${b.line}\nfun block$i(tableId: String): Unit = runBlocking {\n$body\nUnit\n}\n")
            }
            val calls = kotlin.indices.joinToString("\n") { i ->
                "    reset(); block$i(tableId); println(\"kotlin block $i ok\")"
            } + "\n" + java.indices.joinToString("\n") { i ->
                "    reset(); Class.forName(\"readme.ReadmeJava\").getMethod(\"block$i\", String::class.java, String::class.java)" +
                    ".invoke(null, System.getenv(\"LASSO_API_KEY\"), tableId); println(\"java block $i ok\")"
            }
            val source = """
                |@file:Suppress("UNUSED_VARIABLE", "UNUSED_PARAMETER")
                |package readme
                |
                |${imports.joinToString("\n")}
                |$functions
                |/** Starts each block on a fresh emulator. */
                |fun reset() {
                |    val http = java.net.http.HttpClient.newHttpClient()
                |    val request = java.net.http.HttpRequest.newBuilder(java.net.URI(System.getenv("LASSO_MOCK_ROOT") + "/__mock/reset"))
                |        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build()
                |    http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                |}
                |
                |fun main() {
                |    val tableId = "tbl_sample"
                |$calls
                |}
                |""".trimMargin()
            val ktFile = dir.resolve("ReadmeBlocks.kt").also { Files.writeString(it, source) }
            val messages = ByteArrayOutputStream()
            val code = K2JVMCompiler().exec(
                PrintStream(messages),
                "-classpath", (cp + out.toString()).joinToString(File.pathSeparator),
                "-d", out.toString(), "-jvm-target", "17", "-no-stdlib", "-no-reflect", ktFile.toString(),
            )
            assertEquals(ExitCode.OK, code, "the README's Kotlin blocks do not compile:\n$messages\n$source")

            // Run them, as a user would: the environment names the key and the emulator.
            val javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString()
            val process = ProcessBuilder(javaBin, "-cp", (listOf(out.toString()) + cp).joinToString(File.pathSeparator), "readme.ReadmeBlocksKt")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .apply {
                    environment()["LASSO_API_KEY"] = Mock.KEY
                    environment()["LASSO_BASE_URL"] = mock.baseUrl
                    environment()["LASSO_MOCK_ROOT"] = mock.root
                    environment().remove("LASSO_LOG")
                }
                .start()
            val output = process.inputStream.bufferedReader().readText()
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), output)
            assertEquals(0, process.exitValue(), "a README block failed:\n$output\n--- as run:\n$source")
            for (i in kotlin.indices) assertTrue(output.contains("kotlin block $i ok"), output)
            for (i in java.indices) assertTrue(output.contains("java block $i ok"), output)
        } finally {
            dir.toFile().deleteRecursively()
        }
    }
}
