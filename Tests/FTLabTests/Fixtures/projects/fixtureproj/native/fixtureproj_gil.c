/* A single-phase extension with no Py_mod_gil slot: the free-threaded build re-enables the GIL
   when it is imported. */
#include <Python.h>

static PyObject *twice(PyObject *self, PyObject *arg) {
    long value = PyLong_AsLong(arg);
    if (value == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(2 * value);
}

static PyMethodDef methods[] = {
    {"twice", twice, METH_O, "2 * n"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fixtureproj_gil", NULL, -1, methods};

PyMODINIT_FUNC PyInit_fixtureproj_gil(void) { return PyModule_Create(&module); }
