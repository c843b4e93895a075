using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Rag.Retrieval.Search;

/// <summary>
/// Compiles a <see cref="TagFilter"/> to a SQL predicate on a chunk's <c>tags</c>. The SQL shape comes
/// from the filter's structure only; every tag key and value travels as a jsonb parameter used with
/// <c>@&gt;</c> (served by the GIN index).
/// </summary>
internal static class TagFilterSql
{
    public static string Compile(TagFilter? filter, string tagsColumn, NpgsqlParameterCollection parameters)
    {
        if (filter is null)
        {
            return "TRUE";
        }
        var sql = new StringBuilder();
        Append(filter, tagsColumn, parameters, sql);
        return sql.ToString();
    }

    private static void Append(TagFilter filter, string tagsColumn, NpgsqlParameterCollection parameters, StringBuilder sql)
    {
        switch (filter)
        {
            case TagEquals equals:
                var name = "tag" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Jsonb)
                {
                    Value = JsonSerializer.Serialize(new Dictionary<string, string> { [equals.Key] = equals.Value }),
                });
                sql.Append(tagsColumn).Append(" @> @").Append(name);
                break;
            case AndFilter and:
                Join(and.Operands, " AND ", tagsColumn, parameters, sql);
                break;
            case OrFilter or:
                Join(or.Operands, " OR ", tagsColumn, parameters, sql);
                break;
            case NotFilter not:
                sql.Append("NOT (");
                Append(not.Operand, tagsColumn, parameters, sql);
                sql.Append(')');
                break;
            default:
                throw new TagFilterException($"Unknown filter node {filter.GetType().Name}.");
        }
    }

    private static void Join(IReadOnlyList<TagFilter> operands, string separator, string tagsColumn, NpgsqlParameterCollection parameters, StringBuilder sql)
    {
        if (operands.Count == 0)
        {
            throw new TagFilterException("$and and $or need at least one operand.");
        }
        sql.Append('(');
        for (var i = 0; i < operands.Count; i++)
        {
            if (i > 0)
            {
                sql.Append(separator);
            }
            Append(operands[i], tagsColumn, parameters, sql);
        }
        sql.Append(')');
    }
}
