namespace Ccs.Core.Models;

public static class Logistic
{
    /// <summary>Numerically stable for large |x|, where exp would overflow.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
}
