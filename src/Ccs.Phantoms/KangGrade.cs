namespace Ccs.Phantoms;

/// <summary>Kang grade of cervical canal stenosis at one disc level, read on the mid-sagittal T2 slice.</summary>
public enum KangGrade
{
    Normal = 0,

    /// <summary>More than half of the subarachnoid CSF effaced, the cord itself untouched.</summary>
    CsfEffaced = 1,

    /// <summary>The cord indented or flattened.</summary>
    CordDeformed = 2,

    /// <summary>Cord deformed plus a T2-hyperintense spot inside it.</summary>
    CordSignalChange = 3,
}
