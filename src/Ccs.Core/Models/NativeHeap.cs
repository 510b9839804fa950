using System.Runtime.InteropServices;

namespace Ccs.Core.Models;

/// <summary>
/// Gives freed native heap pages back to the operating system. Creating a session parses its model file and copies
/// the weights more than once; glibc keeps the freed copies in its arenas, so a parallel load of a large model set
/// would otherwise peak several hundred megabytes above what the sessions hold.
/// </summary>
internal static class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    public static void Release()
    {
        if (_unavailable)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without malloc_trim (musl): nothing to release through it.
            _unavailable = true;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
