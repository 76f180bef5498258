// The Configuration table of the top README, Kotlin column: every name in it is a
// parameter or member of the Kotlin front door, and every duration among them is a
// `kotlin.time.Duration` (the one unit of every Kotlin duration).
package ai.lasso

import java.nio.file.Files
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ConfigurationTableTest {
    private data class Row(val setting: String, val kotlin: String)

    private fun rows(): List<Row> {
        val readme = Files.readString(Mock.REPO.resolve("README.md"))
        val start = readme.indexOf("## Configuration")
        val section = readme.substring(start, readme.indexOf("\n## ", start + 1)) // up to the next section
        return section.lines()
            .filter { it.startsWith("| ") && !it.startsWith("| Setting") }
            .map { line ->
                val cells = line.trim().removePrefix("|").removeSuffix("|").split("|").map { it.trim() }
                assertEquals(7, cells.size, line)
                Row(cells[0], cells[5])
            }
    }

    /** `name: Type` parameters and `val name: Type` members declared by the client, its helpers and exceptions (functions: `withOptions`, …). */
    private val declared: Map<String, Set<String>> by lazy {
        val sources = listOf("LassoClient.kt", "generated/HelperMethods.kt", "LassoException.kt")
            .joinToString("\n") { Files.readString(Mock.REPO.resolve("kotlin/src/main/kotlin/ai/lasso/$it")) }
        Regex("""\b(?:val )?([a-z][A-Za-z0-9]*): ([A-Za-z.<>?, ]+?)(?:\s*=|,|\)|$)""", RegexOption.MULTILINE)
            .findAll(sources)
            .groupBy({ it.groupValues[1] }, { it.groupValues[2].trim().removeSuffix("?") })
            .mapValues { it.value.toSet() }
    }

    @Test
    fun `every Kotlin name of the table is an option of the Kotlin front door`() {
        val rows = rows()
        assertTrue(rows.size >= 15, "${rows.size} rows")
        for (row in rows) {
            val names = Regex("`([^`]+)`").findAll(row.kotlin).map { it.groupValues[1] }.toList()
            assertTrue(names.isNotEmpty(), "${row.setting}: no Kotlin name")
            for (name in names) {
                val bare = name.removePrefix("client.").substringBefore("(")
                val function = Regex("""\bfun (?:<[^>]*> )?$bare\(""")
                val sources = Files.readString(Mock.REPO.resolve("kotlin/src/main/kotlin/ai/lasso/LassoClient.kt"))
                assertTrue(bare in declared || function.containsMatchIn(sources), "${row.setting}: `$name` is not declared by the Kotlin front door")
            }
        }
    }

    @Test
    fun `every Kotlin duration is a Duration`() = runBlocking {
        val durations = rows().filter { Regex("(?i)timeout|interval|time limit|Retry-After").containsMatchIn(it.setting) }
        assertTrue(durations.size >= 5)
        for (row in durations) {
            for (name in Regex("`([^`]+)`").findAll(row.kotlin).map { it.groupValues[1] }) {
                val types = declared.getValue(name)
                assertTrue(types.all { it == "Duration" || it == "java.time.Duration" }, "${row.setting}: `$name` is typed $types")
            }
        }
        // And at run time: a Retry-After of 3 (seconds on the wire) is 3.seconds.
        Mock.start("--time-scale", "0").use { mock ->
            mock.fault("""{"route": "GET /credits/balance", "status": 429, "headers": {"Retry-After": "3"}}""")
            LassoClient(apiKey = Mock.KEY, baseUrl = mock.baseUrl, maxRetries = 0).use { client ->
                val e = runCatching { client.credits.balance() }.exceptionOrNull()
                assertTrue(e is RateLimitException, e.toString())
                assertEquals(3.seconds, (e as RateLimitException).retryAfter)
                val none: Duration? = LassoException("x").retryAfter
                assertEquals(null, none)
            }
        }
    }
}
