using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ccs.Core.Cases;

/// <summary>
/// The batch file <c>demographics.csv</c>: the first column is the case index (its header may be blank), then
/// <c>sex</c>, <c>age</c> and an optional <c>label</c>, found by header name.
/// </summary>
public sealed partial record DemographicsTable(IReadOnlyList<DemographicsTable.Row> Rows)
{
    public const string FileName = "demographics.csv";

    /// <param name="Error">A problem with this row alone; it fails that case, not the batch.</param>
    public sealed record Row(string Index, Demographics Demographics, int? Label, InvalidCaseException? Error);

    public static DemographicsTable Parse(byte[] csv, string batchName, int maxCases)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(csv).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw Unreadable(batchName, "is not UTF-8 text");
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count < 2)
        {
            throw Unreadable(batchName, "needs a header line and at least one case");
        }

        if (lines.Count - 1 > maxCases)
        {
            throw Unreadable(batchName, $"lists {lines.Count - 1} cases; at most {maxCases} are accepted at once");
        }

        var header = Cells(lines[0]).Select(h => h.ToLowerInvariant()).ToList();
        var sex = Column(header, "sex", batchName);
        var age = Column(header, "age", batchName);
        var label = header.IndexOf("label");
        var rows = lines.Skip(1)
            .Select((line, i) => ParseRow(Cells(line), i + 2, header.Count, sex, age, label, batchName))
            .ToList();
        var repeated = rows.GroupBy(r => r.Index).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw Unreadable(batchName, $"lists case index {repeated.Key} more than once");
        }

        return new DemographicsTable(rows);
    }

    public static int CheckLabel(double value, string caseName, string file) => value switch
    {
        0 => 0,
        1 => 1,
        _ => throw new InvalidCaseException(caseName, file, $"label must be 0 or 1, not {value}"),
    };

    private static Row ParseRow(string[] cells, int lineNumber, int columns, int sex, int age, int label, string batch)
    {
        if (cells.Length != columns)
        {
            throw Unreadable(batch, $"line {lineNumber} has {cells.Length} fields; the header has {columns}");
        }

        var index = cells[0].Trim();
        if (!IndexPattern().IsMatch(index))
        {
            throw Unreadable(batch, $"line {lineNumber}: case index must be a whole number, not '{index}'");
        }

        index = int.Parse(index, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

        var name = $"case_{index}";
        var where = $"{FileName} line {lineNumber}";
        try
        {
            var demographics = new Demographics(
                Blank(cells[age]) ? null : Demographics.CheckAge(Number(cells[age], name, where, "age"), name, where),
                Blank(cells[sex]) ? null : Demographics.ParseSex(cells[sex], name, where));
            int? labelValue = label < 0 || Blank(cells[label])
                ? null : CheckLabel(Number(cells[label], name, where, "label"), name, where);
            return new Row(index, demographics, labelValue, null);
        }
        catch (InvalidCaseException e)
        {
            return new Row(index, Demographics.Unknown, null, e);
        }
    }

    /// <summary>Comma-separated cells, each trimmed and unquoted as spreadsheet exports write them.</summary>
    private static string[] Cells(string line) =>
        line.Split(',').Select(c => c.Trim()).Select(c => c.Length >= 2 && c[0] == '"' && c[^1] == '"' ? c[1..^1] : c)
            .ToArray();

    private static bool Blank(string cell) => cell.Trim().Length == 0;

    private static double Number(string cell, string name, string where, string column) =>
        double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidCaseException(name, where, $"{column} must be a number, not '{cell.Trim()}'");

    private static int Column(List<string> header, string name, string batchName)
    {
        var index = header.IndexOf(name);
        return index > 0
            ? index
            : throw Unreadable(batchName, $"has no '{name}' column (header: {string.Join(',', header)})");
    }

    private static InvalidCaseException Unreadable(string batchName, string problem) =>
        new(batchName, FileName, problem);

    [GeneratedRegex(@"^[0-9]{1,9}\z")]
    private static partial Regex IndexPattern();
}
