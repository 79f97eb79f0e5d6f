# Installing the table library: `cmake --install BUILD --prefix PREFIX`
# puts libintern (static and shared), its public headers (intern/intern.h,
# intern/alloc.h), a pkg-config file (intern.pc) and a CMake package
# (find_package(intern): targets intern::intern, intern::intern_shared)
# under PREFIX. Only the table library installs: the harness and the
# command are for this source tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS intern intern_shared EXPORT internTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/harness/include/intern/intern.h
              ${PROJECT_SOURCE_DIR}/harness/include/intern/alloc.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/intern)
install(EXPORT internTargets NAMESPACE intern::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/intern)
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/harness/install/internConfig.cmake.in
  ${PROJECT_BINARY_DIR}/internConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/intern)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/internConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/internConfig.cmake
              ${PROJECT_BINARY_DIR}/internConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/intern)
# relocatable: the prefix is found from where the .pc file lies, so an
# install with --prefix anywhere gives a working file
file(RELATIVE_PATH INTERN_PC_TO_PREFIX
  /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
configure_file(${PROJECT_SOURCE_DIR}/harness/install/intern.pc.in
  ${PROJECT_BINARY_DIR}/intern.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/intern.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
