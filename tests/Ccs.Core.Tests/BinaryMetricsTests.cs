using Ccs.Core.Evaluation;

namespace Ccs.Core.Tests;

public sealed class BinaryMetricsTests
{
    [Fact]
    public void Auc_counts_ordered_pairs_and_ties_as_half()
    {
        // Positives 0.9, 0.5; negatives 0.5, 0.1: pairs (0.9>0.5) (0.9>0.1) (0.5=0.5 half) (0.5>0.1) = 3.5 / 4.
        Assert.Equal(0.875, BinaryMetrics.Auc([0.9, 0.5, 0.5, 0.1], [true, true, false, false]), 12);
        Assert.Equal(0.0, BinaryMetrics.Auc([0.1, 0.9], [true, false]), 12);
        Assert.True(double.IsNaN(BinaryMetrics.Auc([0.1, 0.9], [true, true])));
    }

    [Fact]
    public void Sensitivity_and_specificity_come_from_the_confusion_at_the_threshold()
    {
        var c = BinaryMetrics.At([0.9, 0.6, 0.4, 0.7, 0.2], [true, true, true, false, false], 0.5);

        Assert.Equal(new Confusion(2, 1, 1, 1), c);
        Assert.Equal(2.0 / 3, c.Sensitivity, 12);
        Assert.Equal(0.5, c.Specificity, 12);
    }
}
