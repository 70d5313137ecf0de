using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Chat.Data;

internal static class SqliteErrors
{
    /// <summary>SQLITE_CONSTRAINT: a unique index refused the row (a nickname or slug taken at the same moment).</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19 };
}
