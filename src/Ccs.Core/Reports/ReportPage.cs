using System.Globalization;
using System.Net;
using System.Text;

namespace Ccs.Core.Reports;

/// <summary>
/// <c>report.html</c>: the images with their probabilities, for a person to look at; no script, no links out.
/// </summary>
public static class ReportPage
{
    public static string Render(CaseReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append($"<title>CCS report {Encode(report.CaseId)}</title><style>{Style}</style></head><body>\n")
            .Append($"<h1>Cervical canal stenosis: {Encode(report.CaseId)}</h1>\n")
            .Append($"<p class=\"verdict {(report.Label.Positive ? "positive" : "negative")}\">")
            .Append(report.Label.Positive ? "Stenosis predicted" : "No stenosis predicted")
            .Append($" (from {Encode(report.Label.Basis)}, threshold {Number(report.Threshold)})</p>\n")
            .Append("<div class=\"images\">\n")
            .Append(Figure(Pipeline.ArtifactNames.Input, "Model input (slices 0, 1, 2 as R, G, B)"))
            .Append(Figure(report.Ensemble.GradCam, $"Ensemble {Percent(report.Ensemble.Probability)}"));
        foreach (var backbone in report.Backbones)
        {
            html.Append(Figure(backbone.GradCam, $"{backbone.DisplayName} {Percent(backbone.Probability)}"));
        }

        html.Append("</div>\n<table><tr><th>Model</th><th>Probability</th><th>Folds (sigmoid)</th></tr>\n");
        foreach (var backbone in report.Backbones)
        {
            var folds = string.Join(", ", backbone.Folds.Select(f => Number(f.Probability)));
            html.Append($"<tr><td>{Encode(backbone.DisplayName)}</td><td>{Number(backbone.Probability)}</td>")
                .Append($"<td>{folds}</td></tr>\n");
        }

        html.Append($"<tr><td>Ensemble</td><td>{Number(report.Ensemble.Probability)}</td><td></td></tr>\n");
        foreach (var model in report.Demographics)
        {
            html.Append($"<tr><td>Logistic regression ({Encode(model.Model)})</td>")
                .Append($"<td>{Number(model.Probability)}</td><td></td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var note in report.Input.Notes)
        {
            html.Append($"<p class=\"note\">Note: {Encode(note)}</p>\n");
        }

        return html.Append($"<p class=\"models\">Models {Encode(report.Models.Name)} {Encode(report.Models.Version)}: ")
            .Append($"{Encode(report.Models.Provenance)}</p>\n")
            .Append($"<p class=\"models\">Report {Encode(report.Schema)}, ")
            .Append($"{report.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}</p>\n</body></html>\n")
            .ToString();
    }

    private const string Style =
        "body{font-family:sans-serif;margin:2em;color:#222}" +
        ".images{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;text-align:center}" +
        "figure img{width:224px;height:448px;image-rendering:pixelated}" +
        "table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:.3em .6em}" +
        ".positive{color:#b00020;font-weight:bold}.negative{color:#1b5e20;font-weight:bold}" +
        ".note{color:#8a5a00}.models{color:#666;font-size:.9em}";

    private static string Figure(string image, string caption) =>
        $"<figure><img src=\"{Encode(image)}\" alt=\"{Encode(caption)}\"><figcaption>{Encode(caption)}</figcaption>"
        + "</figure>\n";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0.0%", CultureInfo.InvariantCulture);
}
