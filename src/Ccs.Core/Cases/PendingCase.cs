namespace Ccs.Core.Cases;

/// <summary>
/// A case found in an input but not yet decoded. <see cref="Load"/> throws <see cref="InvalidCaseException"/> for that
/// case alone, so one bad case in a batch does not stop the others.
/// </summary>
public sealed record PendingCase(string Name, Func<CaseInput> Load);
