namespace Ccs.Core.Evaluation;

/// <summary>Counts of a binary classifier at one threshold.</summary>
public sealed record Confusion(int TruePositive, int FalsePositive, int FalseNegative, int TrueNegative)
{
    public double Sensitivity => Ratio(TruePositive, TruePositive + FalseNegative);

    public double Specificity => Ratio(TrueNegative, TrueNegative + FalsePositive);

    private static double Ratio(int part, int whole) => whole == 0 ? double.NaN : (double)part / whole;
}

public static class BinaryMetrics
{
    /// <summary>
    /// Area under the ROC curve as the Mann-Whitney statistic: the chance that a random positive scores above a random
    /// negative, ties counting half. NaN when either class is absent.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var ranked = scores.Select((s, i) => (Score: s, Positive: labels[i])).OrderBy(p => p.Score).ToList();
        double rankSum = 0;
        for (var i = 0; i < ranked.Count;)
        {
            var j = i;
            while (j < ranked.Count && ranked[j].Score == ranked[i].Score)
            {
                j++;
            }

            var meanRank = (i + 1 + j) / 2.0;
            rankSum += ranked.Skip(i).Take(j - i).Count(p => p.Positive) * meanRank;
            i = j;
        }

        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    public static Confusion At(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double threshold)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var predicted = scores[i] >= threshold;
            (tp, fp, fn, tn) = (predicted, labels[i]) switch
            {
                (true, true) => (tp + 1, fp, fn, tn),
                (true, false) => (tp, fp + 1, fn, tn),
                (false, true) => (tp, fp, fn + 1, tn),
                _ => (tp, fp, fn, tn + 1),
            };
        }

        return new Confusion(tp, fp, fn, tn);
    }
}
