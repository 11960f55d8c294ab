create table `t` (`a` int(11) not null auto_increment, primary key (`a`)) engine=InnoDB;
rename table a to b;
