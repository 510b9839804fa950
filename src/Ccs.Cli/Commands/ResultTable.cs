using System.Globalization;
using Ccs.Core.Pipeline;

namespace Ccs.Cli.Commands;

/// <summary>The short table <c>ccs predict</c> prints: one line per case, probabilities to three places.</summary>
internal sealed class ResultTable(IReadOnlyList<string> backbones)
{
    private readonly List<string[]> _rows = [];

    public void Add(CaseOutcome outcome)
    {
        var cells = new List<string> { outcome.CaseId };
        cells.AddRange(outcome.Backbones.Select(b => Number(b.Probability)));
        cells.Add(Number(outcome.Ensemble));
        cells.Add(outcome.Adjusted is { } adjusted ? $"{Number(adjusted.Probability)} ({adjusted.Model})" : "-");
        cells.Add(outcome.Positive ? "CCS" : "no CCS");
        _rows.Add([.. cells]);
    }

    public void Print(TextWriter output)
    {
        if (_rows.Count == 0)
        {
            return;
        }

        string[] header = ["case", .. backbones, "ensemble", "adjusted", "label"];
        var widths = header.Select((h, i) => Math.Max(h.Length, _rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in _rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
