namespace Ccs.Phantoms;

/// <summary>
/// Renders and writes cases 1..count of a seed. Cases are independent, so they render in parallel; each one's
/// bytes depend only on the seed and its index, never on which thread got it first.
/// </summary>
public static class PhantomBatch
{
    public static void Write(int count, int seed, string outDirectory, bool zip, IProgress<int>? progress = null)
    {
        Directory.CreateDirectory(outDirectory);
        var done = 0;
        Parallel.For(1, count + 1, index =>
        {
            var phantom = PhantomCase.Render(PhantomSpec.Draw(seed, index));
            if (zip)
            {
                CaseWriter.WriteZip(phantom, outDirectory);
            }
            else
            {
                CaseWriter.WriteFolder(phantom, outDirectory);
            }

            progress?.Report(Interlocked.Increment(ref done));
        });
    }
}
